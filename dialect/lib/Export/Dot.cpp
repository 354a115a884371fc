//===- Dot.cpp - Graphviz pictures of fx graphs ---------------------------===//
//
// Draws the graph as torch.fx's FxGraphDrawer does: one record per node (name, op_code, target,
// args, kwargs, num_users, and the result type), an edge from each value to each of its users,
// and the same fill colours per opcode.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Dialect/FX/LiteralSyntax.h"
#include "fxmlir/Export/Export.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::fx;

/// Escapes what a Graphviz record label treats specially.
static std::string escapeRecord(StringRef s) {
  std::string out;
  for (char c : s) {
    if (StringRef("{}|<>\"\\").contains(c))
      out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

static StringRef fillColor(StringRef opcode) {
  if (opcode == "placeholder" || opcode == "output")
    return "AliceBlue";
  if (opcode == "get_attr")
    return "LemonChiffon1";
  if (opcode == "call_module")
    return "LightGrey";
  return "#CAFFE3";
}

void mlir::fx::printDot(GraphOp graph, raw_ostream &os) {
  os << "digraph \"" << graph.getSymName() << "\" {\n";
  os << "  node [shape=record, style=filled];\n";
  for (Operation &op : graph.getBodyBlock()) {
    auto node = cast<NodeOpInterface>(op);
    ValueRange operands = op.getOperands();
    auto formatted = [&](Attribute literal, unsigned &next) {
      std::string s;
      llvm::raw_string_ostream out(s);
      printLiteral(
          out, literal, LiteralStyle::FxFormatArg,
          [&](raw_ostream &o, unsigned i, LiteralStyle st) {
            auto def = operands[i].getDefiningOp<NodeOpInterface>();
            o << (st == LiteralStyle::FxFormatArg ? "%" : "")
              << (def ? def.getNodeName() : StringRef("?"));
          },
          next);
      return s;
    };
    // Record fields are escaped one by one; `|` separates them and `\n`/`\l` end lines.
    std::string label = "{" + escapeRecord("name=%" + node.getNodeName().str()) + "|" +
                        escapeRecord("op_code=" + node.getOpcode().str()) + "\\n|" +
                        escapeRecord("target=" + node.getTargetName().str()) + "\\n";
    unsigned next = 0;
    ArrayAttr args = node.getNodeArgs();
    if (!args.empty())
      label += "|" + escapeRecord("args=" + formatted(TupleAttr::get(op.getContext(), args), next)) +
               "\\l";
    if (auto kwargs = dyn_cast_or_null<DictAttr>(node.getNodeKwargs()); kwargs && kwargs.size())
      label += "|" + escapeRecord("kwargs=" + formatted(kwargs, next)) + "\\l";
    label += "|num_users=" + std::to_string(countUsers(&op)) + "\\n";
    if (op.getNumResults() == 1) {
      std::string type;
      llvm::raw_string_ostream t(type);
      t << op.getResult(0).getType();
      label += "|" + escapeRecord("type=" + type) + "\\n";
    }
    label += "}";
    os << "  \"" << node.getNodeName() << "\" [label=\"" << label << "\", fillcolor=\""
       << fillColor(node.getOpcode()) << "\"];\n";
  }
  for (Operation &op : graph.getBodyBlock()) {
    llvm::SmallPtrSet<Operation *, 4> drawn;
    for (Value v : op.getOperands())
      if (auto def = v.getDefiningOp<NodeOpInterface>(); def && drawn.insert(def).second)
        os << "  \"" << def.getNodeName() << "\" -> \""
           << cast<NodeOpInterface>(op).getNodeName() << "\";\n";
  }
  os << "}\n";
}
