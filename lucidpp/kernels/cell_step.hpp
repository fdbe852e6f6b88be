#pragma once
// One time step of a recurrent cell, as the layer's step loops (ops/recurrent_layer.cpp) hand it
// to the cell: pointers to that step's rows, row-major, H = hidden_size, G = gates * H.
//
// A cell is a policy type (RnnCell, GruCell, LstmCell in this folder), each next to its kernels
// and with its equations in its header:
//   gates                 how many gate blocks W_ih and W_hh stack (RNN 1, GRU 3, LSTM 4)
//   saved_per_unit        how many values per row and hidden unit forward keeps for backward
//   has_cell_state        whether a state c runs beside h (the LSTM)
//   hidden_gates_differ   whether the hidden projection's gate gradients differ from the
//                         input projection's (the GRU, whose r scales W_hn h after the product)
//   direct_path           whether dh_{t-1} has a part that bypasses W_hh (the GRU's z * dh_t)
//   name                  the layer node's name is "<name>_layer"
//   forward(ForwardStep<T>), backward(BackwardStep<T>)
#include <cstdint>

namespace lucid::kernels {

template <class T>
struct ForwardStep {
    std::int64_t rows, hidden;
    const T* xw;      // (rows, G): W_ih x_t + b_ih
    const T* hw;      // (rows, G): W_hh h_{t-1} + b_hh
    const T* h_prev;  // (rows, H): h_{t-1}
    T* h;             // (rows, H): out, h_t
    T* c;             // (rows, H): c_{t-1} in, c_t out; only for cells with a cell state
    T* saved;         // (rows, saved_per_unit * H): out, what backward reads
};

template <class T>
struct BackwardStep {
    std::int64_t rows, hidden;
    const T* saved;     // as forward left it
    const T* h_prev;    // (rows, H): h_{t-1}
    const T* h;         // (rows, H): h_t
    T* dh;              // (rows, H): dL/dh_t in; out, the direct path's part of dL/dh_{t-1}
    T* dc;              // (rows, H): dL/dc_t in, dL/dc_{t-1} out; only with a cell state
    T* d_input_gates;   // (rows, G): out, dL/d(W_ih x_t + b_ih)
    T* d_hidden_gates;  // (rows, G): out, dL/d(W_hh h_{t-1} + b_hh); the same buffer as
                        // d_input_gates unless hidden_gates_differ
};

}  // namespace lucid::kernels
