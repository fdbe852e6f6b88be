#include "helpers.hpp"

using namespace lucid;
using lucid::testing::check_values;
using lucid::testing::error_of;
using lucid::testing::leaf;

namespace {

using Inputs = std::vector<Tensor>;

// 0 .. n-1 as float64, without grad.
Tensor iota(double n) { return arange(n, float64); }

bool shares_storage(const Tensor& a, const Tensor& b) {
    return a.impl().storage == b.impl().storage;
}

bool check_grad(const autograd::GradcheckFn& fn, const Tensor& input) {
    return autograd::gradcheck(fn, {input});
}

}  // namespace

TEST_CASE("view: view infers one -1 size and shares storage") {
    Tensor x = iota(12);
    Tensor v = x.view({3, -1});
    CHECK(v.shape() == Shape{3, 4});
    CHECK(v.strides() == Strides{4, 1});
    CHECK(shares_storage(v, x));
    check_values(v, x.to_vector<double>());
    CHECK(x.view({-1}).shape() == Shape{12});
    CHECK(x.view({2, -1, 3}).shape() == Shape{2, 2, 3});
    CHECK(v.view({12}).shape() == Shape{12});
    CHECK(scalar_tensor(5.0).view({1, 1}).shape() == Shape{1, 1});
    CHECK(x.view({3, 4}).view({-1, 2}).shape() == Shape{6, 2});
}

TEST_CASE("view: invalid view shapes name the shape and the size") {
    Tensor x = iota(12);
    CHECK(error_of([&] { x.view({-1, -1}); }) == "view: only one dimension can be inferred");
    CHECK(error_of([&] { x.view({4, 4}); }) == "view: shape (4, 4) is invalid for input of size 12");
    CHECK(error_of([&] { x.view({5, -1}); }) ==
          "view: shape (5, -1) is invalid for input of size 12");
    CHECK(error_of([&] { x.view({0, -1}); }) ==
          "view: shape (0, -1) is invalid for input of size 12");
    CHECK(error_of([&] { x.view({-2, 6}); }) == "view: invalid shape dimension -2");
    CHECK(error_of([&] { x.view({3, 4}).t().view({12}); })
              .find("view: view size is not compatible with input tensor's size and stride") !=
          std::string::npos);
}

TEST_CASE("view: reshape is a view when it can be and a copy when it must") {
    Tensor x = iota(6).view({2, 3});
    Tensor r = x.reshape({3, 2});
    CHECK(shares_storage(r, x));
    Tensor t = x.t();  // 0 3 / 1 4 / 2 5
    Tensor copied = t.reshape({-1});
    CHECK_FALSE(shares_storage(copied, x));
    CHECK(copied.is_contiguous());
    check_values(copied, {0, 3, 1, 4, 2, 5});
    check_values(reshape(x, {6}), {0, 1, 2, 3, 4, 5});
    CHECK(error_of([&] { x.reshape({4}); }).find("shape (4) is invalid for input of size 6") !=
          std::string::npos);
}

TEST_CASE("view: flatten") {
    Tensor x = iota(24).view({2, 3, 4});
    CHECK(x.flatten().shape() == Shape{24});
    CHECK(x.flatten(1).shape() == Shape{2, 12});
    CHECK(x.flatten(0, 1).shape() == Shape{6, 4});
    CHECK(x.flatten(-2, -1).shape() == Shape{2, 12});
    CHECK(x.flatten(1, 1).shape() == Shape{2, 3, 4});
    CHECK(shares_storage(x.flatten(), x));
    CHECK(scalar_tensor(1.0).flatten().shape() == Shape{1});
    check_values(x.transpose(0, 2).flatten(0, 1).select(0, 1), {4, 16});
    CHECK(error_of([&] { x.flatten(2, 0); }) ==
          "flatten: start_dim (2) cannot come after end_dim (0)");
}

TEST_CASE("view: transpose and t swap sizes and strides without copying") {
    Tensor x = iota(6).view({2, 3});
    Tensor t = x.t();
    CHECK(t.shape() == Shape{3, 2});
    CHECK(t.strides() == Strides{1, 3});
    CHECK_FALSE(t.is_contiguous());
    CHECK(shares_storage(t, x));
    check_values(t, {0, 3, 1, 4, 2, 5});
    check_values(transpose(x, 0, 1), {0, 3, 1, 4, 2, 5});
    Tensor cube = iota(24).view({2, 3, 4});
    Tensor swapped = cube.transpose(0, -1);
    CHECK(swapped.shape() == Shape{4, 3, 2});
    CHECK(swapped.strides() == Strides{1, 4, 12});
    CHECK(swapped.select(0, 3).select(0, 2).select(0, 1).item<double>() == 23);
    Tensor v = iota(3);
    CHECK(v.t().is_same(v));
    CHECK(error_of([&] { cube.t(); }) ==
          "t: expects a tensor with <= 2 dimensions, but self is 3D (shape (2, 3, 4))");
    CHECK(error_of([&] { x.transpose(0, 2); }).find("transpose: Dimension out of range") !=
          std::string::npos);
}

TEST_CASE("view: permute") {
    Tensor x = iota(24).view({2, 3, 4});
    Tensor p = x.permute({2, 0, 1});
    CHECK(p.shape() == Shape{4, 2, 3});
    CHECK(p.strides() == Strides{1, 12, 4});
    CHECK(shares_storage(p, x));
    // p[k][i][j] = x[i][j][k] = 12 i + 4 j + k
    CHECK(p.select(0, 3).select(0, 1).select(0, 2).item<double>() == 12 + 8 + 3);
    check_values(permute(x, {-1, 1, 0}).select(0, 1).select(0, 2), {9, 21});
    CHECK(error_of([&] { x.permute({0, 1}); }) ==
          "permute: number of dims don't match: got 2 dims for a tensor of shape (2, 3, 4)");
    CHECK(error_of([&] { x.permute({0, 1, 0}); }) == "permute: repeated dim 0 in (0, 1, 0)");
}

TEST_CASE("view: slice with steps, negative starts and clipped ends") {
    Tensor x = iota(10);
    check_values(x.slice(0, 1, 8, 3), {1, 4, 7});
    check_values(x.slice(0, -3, 10), {7, 8, 9});
    check_values(x.slice(0, -3, 100), {7, 8, 9});
    check_values(x.slice(0, 0, 10, 4), {0, 4, 8});
    check_values(x.slice(0, 2, -5), {2, 3, 4});
    CHECK(x.slice(0, 6, 2).numel() == 0);
    CHECK(x.slice(0, -100, 2).numel() == 2);
    Tensor s = x.slice(0, 1, 8, 3);
    CHECK(s.strides() == Strides{3});
    CHECK(s.storage_offset() == 1);
    CHECK(shares_storage(s, x));
    Tensor m = iota(12).view({3, 4});
    Tensor cols = m.slice(1, 1, 4, 2);
    CHECK(cols.shape() == Shape{3, 2});
    check_values(cols, {1, 3, 5, 7, 9, 11});
    check_values(m.slice(0, -1, 3), {8, 9, 10, 11});
    check_values(m.slice(-1, 1, 2).slice(0, 0, 3, 2), {1, 9});
    CHECK(error_of([&] { x.slice(0, 0, 5, 0); }) == "slice: step must be positive, got 0");
}

TEST_CASE("view: select and narrow") {
    Tensor m = iota(12).view({3, 4});
    check_values(m.select(0, 1), {4, 5, 6, 7});
    check_values(m.select(1, -1), {3, 7, 11});
    check_values(select(m, -2, 2), {8, 9, 10, 11});
    CHECK(m.select(0, 0).select(0, 0).dim() == 0);
    CHECK(m.select(1, 2).storage_offset() == 2);
    CHECK(error_of([&] { m.select(0, 3); }) ==
          "select: index 3 out of range for tensor of shape (3, 4) at dimension 0");
    CHECK(error_of([&] { m.select(1, -5); }).find("select: index -5 out of range") !=
          std::string::npos);
    check_values(m.narrow(1, 1, 2), {1, 2, 5, 6, 9, 10});
    check_values(narrow(m, 0, -1, 1), {8, 9, 10, 11});
    CHECK(m.narrow(0, 3, 0).numel() == 0);
    CHECK(error_of([&] { m.narrow(1, 3, 2); }) ==
          "narrow: start (3) + length (2) exceeds dimension size (4) of shape (3, 4)");
}

TEST_CASE("view: expand repeats with stride 0") {
    Tensor c = tensor({1, 2, 3}, {3, 1}, float64);
    Tensor e = c.expand({3, 4});
    CHECK(e.shape() == Shape{3, 4});
    CHECK(e.strides() == Strides{1, 0});
    CHECK(shares_storage(e, c));
    check_values(e, {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3});
    Tensor more = c.expand({2, -1, 2});
    CHECK(more.shape() == Shape{2, 3, 2});
    CHECK(more.strides() == Strides{0, 1, 0});
    check_values(more, {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3});
    CHECK(c.expand_as(zeros({3, 2})).shape() == Shape{3, 2});
    CHECK(scalar_tensor(7.0).expand({2, 2}).to_vector<double>() == std::vector<double>(4, 7.0));
    CHECK(error_of([&] { c.expand({4, 4}); })
              .find("expand: the expanded size of the tensor (4) must match the existing size "
                    "(3) at non-singleton dimension 0") != std::string::npos);
    CHECK(error_of([&] { c.expand({4}); }).find("expand: the number of sizes provided (1)") !=
          std::string::npos);
    CHECK(error_of([&] { c.expand({-1, 3, 1}); }) == "expand: invalid size -1 in (-1, 3, 1)");
}

TEST_CASE("view: squeeze and unsqueeze") {
    Tensor x = iota(6).view({1, 2, 1, 3});
    CHECK(x.squeeze().shape() == Shape{2, 3});
    CHECK(x.squeeze(0).shape() == Shape{2, 1, 3});
    CHECK(x.squeeze(-2).shape() == Shape{1, 2, 3});
    CHECK(x.squeeze(1).is_same(x));  // size 2: nothing to squeeze
    CHECK(squeeze(x, 2).shape() == Shape{1, 2, 3});
    CHECK(shares_storage(x.squeeze(), x));
    CHECK(scalar_tensor(1.0).view({1, 1}).squeeze().dim() == 0);
    Tensor v = iota(3);
    CHECK(v.unsqueeze(0).shape() == Shape{1, 3});
    CHECK(v.unsqueeze(1).shape() == Shape{3, 1});
    CHECK(v.unsqueeze(-1).shape() == Shape{3, 1});
    CHECK(unsqueeze(v, -2).shape() == Shape{1, 3});
    CHECK(scalar_tensor(1.0).unsqueeze(0).shape() == Shape{1});
    check_values(v.unsqueeze(1).expand({3, 2}), {0, 0, 1, 1, 2, 2});
    Tensor t = iota(6).view({2, 3}).t();
    check_values(t.unsqueeze(1).squeeze(1), {0, 3, 1, 4, 2, 5});
    CHECK(error_of([&] { v.unsqueeze(2); }).find("unsqueeze: Dimension out of range") !=
          std::string::npos);
}

TEST_CASE("view: every view sees writes to its base") {
    Tensor base = iota(12).view({3, 4});
    std::vector<Tensor> views{base.view({12}),          base.reshape({4, 3}),
                              base.flatten(),           base.t(),
                              base.transpose(0, 1),     base.permute({1, 0}),
                              base.slice(1, 1, 4, 2),   base.select(0, 2),
                              base.narrow(0, 1, 2),     base.unsqueeze(0),
                              base.select(0, 2).unsqueeze(1).expand({4, 5}),
                              base.view({1, 3, 4}).squeeze()};
    std::vector<double> before;
    for (const Tensor& v : views) before.push_back(v.sum().item<double>());
    base.data_ptr<double>()[11] = 111;  // was 11; every view above contains element (2, 3)
    for (std::size_t i = 0; i < views.size(); ++i) {
        INFO("view ", i);
        double copies = i == 10 ? 5 : 1;
        CHECK(views[i].sum().item<double>() == doctest::Approx(before[i] + 100 * copies));
    }
}

TEST_CASE("view: a view of a leaf that requires grad sees a write made under NoGradGuard") {
    Tensor x = iota(6).view({2, 3}).detach().requires_grad_();
    Tensor column = x.select(1, 2);
    Tensor row = x.t().select(1, 0);
    CHECK(column.requires_grad());
    CHECK_FALSE(column.is_leaf());
    {
        NoGradGuard no_grad;
        x.fill_(7.0);
    }
    check_values(column, {7, 7});
    check_values(row, {7, 7, 7});
    CHECK(column.version() == x.version());
}

TEST_CASE("view: contiguous copies only when it must") {
    Tensor x = iota(6).view({2, 3});
    CHECK(x.contiguous().is_same(x));
    Tensor row = x.slice(0, 1, 2);
    CHECK(row.is_contiguous());
    CHECK(contiguous(row).is_same(row));  // a contiguous view is not copied
    Tensor t = x.t();
    Tensor c = t.contiguous();
    CHECK_FALSE(c.is_same(t));
    CHECK_FALSE(shares_storage(c, x));
    CHECK(c.is_contiguous());
    CHECK(c.strides() == Strides{2, 1});
    check_values(c, {0, 3, 1, 4, 2, 5});
    Tensor e = tensor({1.0, 2.0}).unsqueeze(0).expand({3, 2});
    CHECK_FALSE(e.is_contiguous());
    check_values(e.contiguous(), {1, 2, 1, 2, 1, 2});
}

TEST_CASE("view: gradients of part views are zero outside the part") {
    Tensor x = iota(6).view({2, 3}).detach().requires_grad_();
    (x.select(1, 1) * tensor({10, 20}, float64)).sum().backward();
    check_values(x.grad(), {0, 10, 0, 0, 20, 0});
    x.zero_grad();
    x.flatten().slice(0, 0, 6, 4).sum().backward();
    check_values(x.grad(), {1, 0, 0, 0, 1, 0});
    x.zero_grad();
    x.slice(1, 0, 1).expand({2, 5}).sum().backward();
    check_values(x.grad(), {5, 0, 0, 5, 0, 0});
}

TEST_CASE("view: gradcheck of view, reshape, flatten, squeeze, unsqueeze") {
    Tensor x = leaf({2, 3, 4}, 1);
    CHECK(check_grad([](const Inputs& v) { return v[0].view({6, -1}); }, x));
    CHECK(check_grad([](const Inputs& v) { return v[0].reshape({4, 6}); }, x));
    CHECK(check_grad([](const Inputs& v) { return v[0].transpose(0, 2).reshape({-1}); }, x));
    CHECK(check_grad([](const Inputs& v) { return v[0].flatten(1); }, x));
    CHECK(check_grad([](const Inputs& v) { return v[0].permute({1, 2, 0}).flatten(0, 1); }, x));
    CHECK(check_grad([](const Inputs& v) { return v[0].unsqueeze(1).unsqueeze(-1); }, x));
    Tensor y = leaf({1, 3, 1}, 2);
    CHECK(check_grad([](const Inputs& v) { return v[0].squeeze(); }, y));
    CHECK(check_grad([](const Inputs& v) { return v[0].squeeze(-1); }, y));
}

TEST_CASE("view: gradcheck of transpose, t, permute") {
    Tensor x = leaf({2, 3, 4}, 3);
    CHECK(check_grad([](const Inputs& v) { return v[0].transpose(0, 2); }, x));
    CHECK(check_grad([](const Inputs& v) { return v[0].permute({2, 0, 1}); }, x));
    CHECK(check_grad([](const Inputs& v) { return v[0].t() * tensor({1, 2, 3}, float64); },
                     leaf({3, 2}, 4)));
}

TEST_CASE("view: gradcheck of slice, select, narrow, expand") {
    Tensor x = leaf({4, 5}, 5);
    CHECK(check_grad([](const Inputs& v) { return v[0].slice(1, 1, 5, 2); }, x));
    CHECK(check_grad([](const Inputs& v) { return v[0].slice(0, -3, 4); }, x));
    CHECK(check_grad([](const Inputs& v) { return v[0].select(1, -2); }, x));
    CHECK(check_grad([](const Inputs& v) { return v[0].narrow(0, 1, 2); }, x));
    CHECK(check_grad([](const Inputs& v) { return v[0].select(0, 1).unsqueeze(1).expand({5, 3}); },
                     x));
    CHECK(check_grad([](const Inputs& v) { return v[0].expand({2, 3, 2}); }, leaf({3, 1}, 6)));
}

TEST_CASE("view: gradcheck of views of non-contiguous leaves and long chains") {
    Tensor t = leaf({5, 4}, 7).detach().t();  // (4, 5), not contiguous
    t.requires_grad_();
    CHECK(check_grad([](const Inputs& v) { return v[0].reshape({2, 10}); }, t));
    CHECK(check_grad([](const Inputs& v) { return v[0].slice(1, 0, 5, 2).select(0, 3); }, t));
    CHECK(check_grad([](const Inputs& v) { return v[0].contiguous().view({-1}); }, t));
    Tensor x = leaf({2, 3, 4}, 8);
    CHECK(check_grad(
        [](const Inputs& v) {
            return v[0]
                .transpose(0, 2)     // (4, 3, 2)
                .slice(1, 1, 3)      // (4, 2, 2)
                .unsqueeze(0)        // (1, 4, 2, 2)
                .expand({3, -1, -1, -1})
                .permute({1, 0, 3, 2})  // (4, 3, 2, 2)
                .reshape({12, -1})
                .narrow(0, 2, 6)
                .select(1, 1);
        },
        x));
    CHECK(check_grad([](const Inputs& v) { return v[0].flatten().view({4, 6}).t().sum(0) * v[0].sum(); },
                     x));
}
