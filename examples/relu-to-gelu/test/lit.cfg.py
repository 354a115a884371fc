# lit configuration of the out-of-tree example: run with
#   lit test -Dfx_opt=<prefix>/bin/fx-opt -Dplugin=<build>/ReluToGelu.so
import lit.formats

config.name = "relu-to-gelu"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".mlir"]
config.substitutions.append(("%fx_opt", lit_config.params["fx_opt"]))
config.substitutions.append(("%plugin", lit_config.params["plugin"]))
config.environment["PATH"] = "/usr/lib/llvm-22/bin:" + config.environment.get("PATH", "/usr/bin:/bin")
