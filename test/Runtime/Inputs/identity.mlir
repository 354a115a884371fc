// Returns its input: what fx-run reads from a .npy file is what it writes to output0.npy.
fx.graph_module @m {
  fx.graph @forward {
    %x = fx.placeholder "x" : !fx.any
    fx.output %x : !fx.any
  }
}
