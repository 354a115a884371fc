//===- GraphText.cpp - print(gm.graph) ------------------------------------===//
#include "fxmlir/Dialect/FX/LiteralSyntax.h"
#include "fxmlir/Export/Export.h"

#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace mlir::fx;

unsigned mlir::fx::countUsers(Operation *op) {
  llvm::SmallPtrSet<Operation *, 8> users;
  for (Operation *user : op->getUsers())
    users.insert(user);
  return users.size();
}

StringRef mlir::fx::getTypeAnnotation(Operation *node) {
  if (auto a = node->getAttrOfType<StringAttr>(kTypeAnnotationAttrName))
    return a.getValue();
  return "";
}

/// Prints node arguments with `%name` for values, as torch.fx's `_format_arg` does.
static void formatArg(raw_ostream &os, Attribute literal, ValueRange operands, unsigned &next,
                      LiteralStyle style) {
  printLiteral(
      os, literal, style,
      [&](raw_ostream &out, unsigned i, LiteralStyle s) {
        auto node = operands[i].getDefiningOp<NodeOpInterface>();
        StringRef name = node ? node.getNodeName() : StringRef("<block argument>");
        if (s == LiteralStyle::FxFormatArg)
          out << '%';
        out << name;
      },
      next);
}

void mlir::fx::printGraphText(GraphOp graph, raw_ostream &os, GraphTextStyle style) {
  os << "graph():";
  for (Operation &op : graph.getBodyBlock()) {
    auto node = cast<NodeOpInterface>(op);
    ValueRange operands = op.getOperands();
    unsigned next = 0;
    os << "\n    ";
    StringRef opcode = node.getOpcode();
    if (opcode == "output") {
      os << "return ";
      formatArg(os, node.getNodeArgs()[0], operands, next, LiteralStyle::PythonRepr);
      continue;
    }
    os << '%' << node.getNodeName() << " : ";
    if (StringRef type = getTypeAnnotation(&op); !type.empty())
      os << type << ' ';
    if (style == GraphTextStyle::Torch2)
      os << "[num_users=" << countUsers(&op) << "]";
    else
      os << "[#users=" << countUsers(&op) << "]";
    os << " = " << opcode << "[target=" << node.getTargetName() << "]";
    if (opcode == "placeholder") {
      if (!node.getNodeArgs().empty()) {
        os << "(default=";
        formatArg(os, node.getNodeArgs()[0], operands, next, LiteralStyle::FxFormatArg);
        os << ")";
      }
      continue;
    }
    if (opcode == "get_attr")
      continue;
    os << "(args = ";
    formatArg(os, TupleAttr::get(op.getContext(), node.getNodeArgs()), operands, next,
              LiteralStyle::FxFormatArg);
    os << ", kwargs = {";
    if (auto kwargs = dyn_cast_or_null<DictAttr>(node.getNodeKwargs())) {
      llvm::interleaveComma(llvm::zip(kwargs.getKeys(), kwargs.getValues()), os, [&](auto kv) {
        os << cast<StringAttr>(std::get<0>(kv)).getValue() << ": ";
        formatArg(os, std::get<1>(kv), operands, next, LiteralStyle::FxFormatArg);
      });
    }
    os << "})";
  }
  os << "\n";
}
