//===- PythonCode.cpp - gm.code -------------------------------------------===//
//
// Mirrors torch.fx's CodeGen: operators print infix, methods and submodules as attribute calls,
// and each value is freed (`;  x = None`) after its last use.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Dialect/FX/LiteralSyntax.h"
#include "fxmlir/Dialect/FX/Naming.h"
#include "fxmlir/Export/Export.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace mlir::fx;

/// torch.fx's magic_methods: operator targets printed as Python operators.
static const llvm::StringMap<StringRef> &magicMethods() {
  static const llvm::StringMap<StringRef> table = {
      {"add", "{} + {}"},   {"sub", "{} - {}"},     {"mul", "{} * {}"},
      {"floordiv", "{} // {}"}, {"truediv", "{} / {}"}, {"div", "{} / {}"},
      {"mod", "{} % {}"},   {"pow", "{} ** {}"},    {"lshift", "{} << {}"},
      {"rshift", "{} >> {}"}, {"and_", "{} & {}"},  {"or_", "{} | {}"},
      {"xor", "{} ^ {}"},   {"getitem", "{}[{}]"},  {"matmul", "{} @ {}"},
      {"eq", "{} == {}"},   {"ne", "{} != {}"},     {"lt", "{} < {}"},
      {"gt", "{} > {}"},    {"le", "{} <= {}"},     {"ge", "{} >= {}"},
      {"pos", "+{}"},       {"neg", "-{}"},         {"invert", "~{}"}};
  return table;
}

/// `self.layer1.0.conv1` is not Python: non-identifier atoms go through getattr().
static std::string formatTarget(StringRef base, StringRef target) {
  std::string result = base.str();
  SmallVector<StringRef> atoms;
  target.split(atoms, '.');
  for (StringRef atom : atoms) {
    if (isValidNodeName(atom))
      result += "." + atom.str();
    else
      result = "getattr(" + result + ", \"" + atom.str() + "\")";
  }
  return result;
}

/// The global a call_function target is bound to in generated code: torch's own names stay
/// qualified, builtins stay bare, anything else becomes an identifier (`math.sqrt` -> `math_sqrt`).
static std::string globalName(StringRef target) {
  target.consume_front("builtins.");
  if (target.starts_with("torch.") || !target.contains('.'))
    return target.str();
  std::string name;
  for (char c : target)
    name.push_back(llvm::isAlnum(c) || c == '_' ? c : '_');
  return name;
}

/// One annotation of typing's repr (`typing.Dict[str, torch.Tensor]`, as the graph text prints
/// it), read from `rest`, as torch.fx's code prints it: typing's names become globals
/// (`typing_Dict`), Optional[X] is Union[X, NoneType], arguments are joined without spaces.
static std::string parseAnnotation(StringRef &rest) {
  rest = rest.ltrim();
  size_t end = rest.find_first_of("[],");
  StringRef name = rest.take_front(end).rtrim();
  rest = rest.drop_front(std::min(end, rest.size()));
  bool optional = name == "typing.Optional";
  std::string out = optional ? "typing_Union" : name.str();
  if (!optional && !name.starts_with("torch."))
    std::replace(out.begin(), out.end(), '.', '_');
  if (!rest.consume_front("["))
    return out;
  out += "[";
  for (bool first = true; !rest.empty() && !rest.consume_front("]"); first = false) {
    rest.consume_front(",");
    out += (first ? "" : ",") + parseAnnotation(rest);
  }
  return out + (optional ? ",NoneType]" : "]");
}

static std::string codeAnnotation(StringRef type) {
  StringRef rest = type;
  return parseAnnotation(rest);
}

namespace {
struct CodeWriter {
  raw_ostream &os;
  GraphOp graph;
  SmallVector<std::string> wrappedFunctions;

  static StringRef nameOf(Value v) {
    auto node = v.getDefiningOp<NodeOpInterface>();
    return node ? node.getNodeName() : StringRef("_unknown");
  }

  std::string repr(Attribute literal, ValueRange operands, unsigned &next) {
    std::string s;
    llvm::raw_string_ostream out(s);
    printLiteral(
        out, literal, LiteralStyle::PythonRepr,
        [&](raw_ostream &o, unsigned i, LiteralStyle) { o << nameOf(operands[i]); }, next);
    return s;
  }

  std::string formatArgs(ArrayRef<Attribute> args, Attribute kwargsAttr, ValueRange operands,
                         unsigned &next) {
    SmallVector<std::string> parts;
    for (Attribute a : args)
      parts.push_back(repr(a, operands, next));
    if (auto kwargs = dyn_cast_or_null<DictAttr>(kwargsAttr))
      for (auto [k, v] : llvm::zip(kwargs.getKeys(), kwargs.getValues()))
        parts.push_back((cast<StringAttr>(k).getValue() + " = " + repr(v, operands, next)).str());
    return llvm::join(parts, ", ");
  }

  /// The statement for one node, without its trailing frees.
  std::string statement(NodeOpInterface node) {
    Operation *op = node.getOperation();
    ValueRange operands = op->getOperands();
    ArrayRef<Attribute> args = node.getNodeArgs().getValue();
    Attribute kwargs = node.getNodeKwargs();
    StringRef opcode = node.getOpcode(), name = node.getNodeName(), target = node.getTargetName();
    unsigned next = 0;
    std::string lhs = name.str();
    if (StringRef type = getTypeAnnotation(op); !type.empty())
      lhs += " : " + codeAnnotation(type);
    lhs += " = ";
    if (opcode == "get_attr")
      return lhs + formatTarget("self", target);
    if (opcode == "call_module")
      return lhs + formatTarget("self", target) + "(" + formatArgs(args, kwargs, operands, next) +
             ")";
    if (opcode == "call_method") {
      std::string self = args.empty() ? "None" : repr(args[0], operands, next);
      return lhs + formatTarget(self, target) + "(" +
             formatArgs(args.drop_front(), kwargs, operands, next) + ")";
    }
    if (opcode == "output")
      return "return " + repr(args[0], operands, next);
    // call_function
    if (target.consume_front("operator.") || target.consume_front("_operator.")) {
      auto it = magicMethods().find(target);
      auto noKwargs = [&] {
        auto d = dyn_cast_or_null<DictAttr>(kwargs);
        return !d || d.size() == 0;
      };
      if (it != magicMethods().end() && noKwargs()) {
        std::string text = it->second.str();
        for (Attribute a : args) {
          size_t hole = text.find("{}");
          if (hole == std::string::npos)
            break;
          text.replace(hole, 2, repr(a, operands, next));
        }
        return lhs + text;
      }
      target = node.getTargetName();
    }
    if ((target == "getattr" || target == "builtins.getattr") && args.size() == 2)
      if (auto attrName = dyn_cast<StringAttr>(args[1]);
          attrName && isValidNodeName(attrName.getValue()))
        return lhs + formatTarget(repr(args[0], operands, next), attrName.getValue());
    std::string global = globalName(target);
    // Autowrapped (math.*) and wrap()ped functions are re-registered by the generated code.
    if ((target.starts_with("math.") || op->hasAttr(kWrappedAttrName)) &&
        !llvm::is_contained(wrappedFunctions, global))
      wrappedFunctions.push_back(global);
    return lhs + global + "(" + formatArgs(args, kwargs, operands, next) + ")";
  }

  void write() {
    Block &block = graph.getBodyBlock();
    // Last uses: walking backwards, the first user met of a value is its last use.
    llvm::DenseMap<Operation *, SmallVector<Operation *>> lastUsesAt;
    llvm::DenseSet<Operation *> seen;
    for (Operation &user : llvm::reverse(block))
      for (Value v : user.getOperands())
        if (Operation *def = v.getDefiningOp(); def && seen.insert(def).second)
          lastUsesAt[&user].push_back(def);

    SmallVector<std::string> freeVars{"self"};
    std::string body;
    for (Operation &op : block) {
      auto node = cast<NodeOpInterface>(op);
      if (auto ph = dyn_cast<PlaceholderOp>(op)) {
        std::string param = ph.getTarget().str();
        if (StringRef type = getTypeAnnotation(ph); !type.empty())
          param += " : " + codeAnnotation(type);
        unsigned next = 0;
        if (Attribute def = ph.getDefaultValueAttr())
          param += " = " + repr(def, {}, next);
        freeVars.push_back(param);
        StringRef raw = ph.getTarget().ltrim('*');
        if (raw != ph.getName())
          body += (ph.getName() + " = " + raw + "\n").str();
        continue;
      }
      body += statement(node);
      if (isa<OutputOp>(op)) {
        body += "\n";
        continue;
      }
      auto it = lastUsesAt.find(&op);
      if (it != lastUsesAt.end() && !it->second.empty()) {
        body += ";  ";
        for (Operation *dead : it->second)
          body += (cast<NodeOpInterface>(dead).getNodeName() + " = ").str();
        body += "None";
      }
      body += "\n";
    }
    // torch.fx's layout: "\n{wrap statements, one a line}\n\n{prologue}\n{indented body}".
    os << "\n";
    llvm::interleave(
        wrappedFunctions, os,
        [&](const std::string &fn) { os << "torch.fx._symbolic_trace.wrap(\"" << fn << "\")"; },
        "\n");
    os << "\n";
    std::string returns;
    if (OutputOp out = graph.getOutput())
      if (StringRef type = getTypeAnnotation(out); !type.empty())
        returns = " -> " + codeAnnotation(type);
    os << "\ndef " << graph.getSymName() << "(" << llvm::join(freeVars, ", ") << ")" << returns
       << ":\n";
    SmallVector<StringRef> lines;
    StringRef(body).split(lines, '\n');
    llvm::interleave(lines, os, [&](StringRef line) { os << "    " << line; }, "\n");
  }
};
} // namespace

void mlir::fx::printPythonCode(GraphOp graph, raw_ostream &os) { CodeWriter{os, graph, {}}.write(); }
