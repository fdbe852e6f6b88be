#include "lucidpp/tensor/dtype.hpp"

namespace lucid {

std::string_view dtype_name(Dtype dtype) {
    switch (dtype) {
        case Dtype::float32: return "float32";
        case Dtype::float64: return "float64";
        case Dtype::int64: return "int64";
    }
    return "unknown";
}

std::size_t element_size(Dtype dtype) {
    return dispatch(dtype, []<class T>() { return sizeof(T); });
}

bool is_floating_point(Dtype dtype) { return dtype != Dtype::int64; }

Dtype promote_types(Dtype a, Dtype b) {
    auto rank = [](Dtype d) { return d == int64 ? 0 : d == float32 ? 1 : 2; };
    return rank(a) >= rank(b) ? a : b;
}

}  // namespace lucid
