#pragma once
// How many threads lucidpp's matrix products (OpenBLAS) and its own loops may use.
namespace lucid {

// Sets both OpenBLAS's thread count and lucidpp's own; n >= 1.
void set_num_threads(int n);
int get_num_threads();

}  // namespace lucid
