fx.graph_module @M {
  fx.submodule @s "torch.nn.Linear"(3)
}
