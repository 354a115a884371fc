#ifndef FXMLIR_DIALECT_FX_FXBASE_TD
#define FXMLIR_DIALECT_FX_FXBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def FX_Dialect : Dialect {
  let name = "fx";
  let cppNamespace = "::mlir::fx";
  let summary = "PyTorch FX graphs: the six torch.fx opcodes inside traced modules";
  let description = [{
    The `fx` dialect keeps a torch.fx `GraphModule` in MLIR. An `fx.graph_module` declares the
    module's parameters, buffers and submodules; its `fx.graph` holds one op per torch.fx node
    (`fx.placeholder`, `fx.get_attr`, `fx.call_function`, `fx.call_method`, `fx.call_module`,
    `fx.output`). Node names are the SSA names; literal arguments stay inline where torch.fx
    has them.

    ```mlir
    fx.graph_module @MyModule {
      fx.parameter @param : tensor<3x4xf32>
      fx.submodule @linear "torch.nn.Linear"(in_features = 4, out_features = 5) {
        fx.parameter @weight : tensor<5x4xf32>
        fx.parameter @bias : tensor<5xf32>
      }
      fx.graph @forward {
        %x = fx.placeholder "x" : tensor<3x4xf32>
        %param = fx.get_attr "param" : tensor<3x4xf32>
        %add = fx.call_function "operator.add"(%x, %param)
            : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
        %linear = fx.call_module "linear"(%add) : (tensor<3x4xf32>) -> tensor<3x5xf32>
        %clamp = fx.call_method "clamp"(%linear, min = 0.0, max = 1.0)
            : (tensor<3x5xf32>) -> tensor<3x5xf32>
        fx.output %clamp : tensor<3x5xf32>
      }
    }
    ```
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 0;
  // Discardable `fx.*` attributes with a meaning (`fx.body`, `fx.body_error`) are checked.
  let hasOperationAttrVerify = 1;
}

class FX_Op<string mnemonic, list<Trait> traits = []> : Op<FX_Dialect, mnemonic, traits>;
class FX_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<FX_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}
class FX_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<FX_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

#endif // FXMLIR_DIALECT_FX_FXBASE_TD
