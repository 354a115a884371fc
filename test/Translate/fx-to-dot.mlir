// The Graphviz picture: one record per node, an edge per use; `dot` accepts it.
// RUN: fx-translate --fx-to-dot %fx_src_root/examples/my_module.mlir | FileCheck %s
// RUN: fx-translate --fx-to-dot %fx_src_root/examples/my_module.mlir > %t.dot
// RUN: %python -c "import shutil, subprocess, sys; d = shutil.which('dot'); sys.exit(subprocess.call([d, '-Tsvg', '-o', '%t.svg', '%t.dot']) if d else 0)"

// CHECK-LABEL: digraph "forward" {
// CHECK: "x" [label="{name=%x|op_code=placeholder\n|target=x\n|num_users=1\n|type=tensor\<3x4xf32\>\n}", fillcolor="AliceBlue"];
// CHECK: "clamp" [label="{name=%clamp|op_code=call_method\n|target=clamp\n|args=(%linear,)\l|kwargs=\{min: 0.0, max: 1.0\}\l|num_users=1\n|type=tensor\<3x5xf32\>\n}", fillcolor="#CAFFE3"];
// CHECK: "x" -> "add";
// CHECK: "param" -> "add";
// CHECK: "add" -> "linear";
// CHECK: "clamp" -> "output";
