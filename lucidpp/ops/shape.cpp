#include "lucidpp/ops/shape.hpp"
