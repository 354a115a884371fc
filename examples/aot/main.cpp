// Calls a model compiled ahead of time by fx-compile, through its generated C header:
//
//   fx-trace lenet --input 1x1x28x28xf32 -o lenet.mlirbc
//   fx-compile --target=cpu lenet.mlirbc -o liblenet.so        # also writes liblenet.h
//   c++ -I. main.cpp -L. -llenet -Wl,-rpath,. -o lenet-demo && ./lenet-demo
//
// The library needs only libc and libm at run time.
#include "liblenet.h"

#include <cmath>
#include <cstdio>
#include <vector>

int main() {
  std::vector<float> image(1 * 1 * 28 * 28), logits(10);
  for (size_t i = 0; i < image.size(); ++i)
    image[i] = std::sin((float)i);
  const int64_t imageShape[] = {1, 1, 28, 28}, logitsShape[] = {1, 10};
  fx_buffer inputs[] = {{image.data(), 4, imageShape}};
  fx_buffer outputs[] = {{logits.data(), 2, logitsShape}};
  if (int bad = LeNet_forward_call(inputs, outputs)) {
    std::fprintf(stderr, "buffer %d does not have the compiled shape\n", bad - 1);
    return 1;
  }
  for (float v : logits)
    std::printf("%.9g\n", v);
  // A buffer of another shape is refused before anything runs.
  const int64_t otherShape[] = {1, 1, 32, 32};
  fx_buffer wrong[] = {{image.data(), 4, otherShape}};
  if (LeNet_forward_call(wrong, outputs) != 1) {
    std::fprintf(stderr, "a wrong input shape was not detected\n");
    return 1;
  }
  return 0;
}
