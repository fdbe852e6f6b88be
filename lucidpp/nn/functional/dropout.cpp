#include "lucidpp/nn/functional.hpp"
