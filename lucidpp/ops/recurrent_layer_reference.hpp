#pragma once
// The recurrent layer written for reading: the same computation as recurrent_layer() (same
// arguments, same results), one time step after another with the primitive-op cells of
// ops/recurrent_cells.hpp, so autograd derives the backward. It records about ten tape nodes
// per step where the fused layer records one per layer, and the tests check that the two agree
// on outputs and on every gradient. The equations: kernels/{rnn,gru,lstm}_cell.hpp.
#include "lucidpp/ops/recurrent_layer.hpp"

namespace lucid {

RecurrentLayerOutput recurrent_layer_reference(CellKind kind, const Tensor& input,
                                               const std::vector<std::int64_t>& batch_sizes,
                                               const Tensor& h0, const Tensor& c0,
                                               const RecurrentWeights& weights, bool reverse);

}  // namespace lucid
