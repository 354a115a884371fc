//===- GraphEditing.cpp - torch.fx's graph-surgery API --------------------===//
#include "fxmlir/Dialect/FX/GraphEditing.h"
#include "fxmlir/Dialect/FX/Naming.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::fx;

Arg mlir::fx::decodeArg(Attribute literal, ValueRange operands, unsigned &next) {
  auto all = [&](ArrayAttr elements) {
    std::vector<Arg> items;
    for (Attribute e : elements)
      items.push_back(decodeArg(e, operands, next));
    return items;
  };
  if (isa<OperandRefAttr>(literal))
    return Arg(operands[next++]);
  if (auto t = dyn_cast<TupleAttr>(literal))
    return Arg::tuple(all(t.getElements()));
  if (auto a = dyn_cast<ArrayAttr>(literal))
    return Arg::list(all(a));
  if (auto s = dyn_cast<SliceAttr>(literal)) {
    Arg start = decodeArg(s.getStart(), operands, next);
    Arg stop = decodeArg(s.getStop(), operands, next);
    return Arg::slice(start, stop, decodeArg(s.getStep(), operands, next));
  }
  if (auto d = dyn_cast<DictAttr>(literal)) {
    std::vector<Arg> values = all(d.getValues());
    std::vector<std::pair<Attribute, Arg>> entries;
    for (auto [k, v] : llvm::zip(d.getKeys(), values))
      entries.emplace_back(k, v);
    return Arg::dict(entries);
  }
  return Arg(literal);
}

std::vector<Arg> mlir::fx::getArgs(Operation *node) {
  auto n = cast<NodeOpInterface>(node);
  unsigned next = 0;
  std::vector<Arg> result;
  for (Attribute a : n.getNodeArgs())
    result.push_back(decodeArg(a, node->getOperands(), next));
  return result;
}

std::vector<std::pair<std::string, Arg>> mlir::fx::getKwargs(Operation *node) {
  auto n = cast<NodeOpInterface>(node);
  unsigned next = 0;
  for (Attribute a : n.getNodeArgs())
    next += countOperandRefs(a);
  std::vector<std::pair<std::string, Arg>> result;
  if (auto d = dyn_cast_or_null<DictAttr>(n.getNodeKwargs()))
    for (auto [k, v] : llvm::zip(d.getKeys(), d.getValues()))
      result.emplace_back(cast<StringAttr>(k).str(), decodeArg(v, node->getOperands(), next));
  return result;
}

void mlir::fx::setArgs(Operation *node, ArrayRef<Arg> args,
                       ArrayRef<std::pair<std::string, Arg>> kwargs) {
  EncodedArgs e = encodeArgs(node->getContext(), args, kwargs);
  node->setOperands(e.operands);
  node->setAttr("args", e.args);
  node->setAttr("kwargs", e.kwargs);
}

LogicalResult mlir::fx::updateArg(Operation *node, unsigned index, const Arg &arg) {
  std::vector<Arg> args = getArgs(node);
  if (index >= args.size())
    return node->emitError("update_arg: index ")
           << index << " is out of range for a node with " << args.size() << " arguments";
  args[index] = arg;
  setArgs(node, args, getKwargs(node));
  return success();
}

void mlir::fx::updateKwarg(Operation *node, StringRef key, const Arg &arg) {
  auto kwargs = getKwargs(node);
  auto it = llvm::find_if(kwargs, [&](auto &kv) { return kv.first == key; });
  if (it != kwargs.end())
    it->second = arg;
  else
    kwargs.emplace_back(key.str(), arg);
  setArgs(node, getArgs(node), kwargs);
}

LogicalResult mlir::fx::eraseNode(Operation *node) {
  if (node->getNumResults() && !node->getResult(0).use_empty()) {
    std::string users;
    llvm::raw_string_ostream os(users);
    llvm::interleaveComma(node->getResult(0).getUsers(), os, [&](Operation *u) {
      os << cast<NodeOpInterface>(u).getNodeName();
    });
    unsigned count = std::distance(node->getResult(0).getUsers().begin(),
                                   node->getResult(0).getUsers().end());
    return node->emitError("Tried to erase Node ")
           << cast<NodeOpInterface>(node).getNodeName() << " but it still had " << count
           << " users in the graph: {" << users << "}!";
  }
  node->erase();
  return success();
}

std::string mlir::fx::uniqueNodeName(GraphOp graph, StringRef candidate) {
  NodeNamespace ns;
  for (Operation &op : graph.getBodyBlock())
    if (auto n = dyn_cast<NodeOpInterface>(op))
      ns.reserve(n.getNodeName());
  return ns.createName(candidate);
}

template <typename CallOp>
static Value createCall(OpBuilder &b, GraphOp graph, Type type, StringRef opcode,
                        StringRef target, ArrayRef<Arg> args,
                        ArrayRef<std::pair<std::string, Arg>> kwargs) {
  std::string name = uniqueNodeName(graph, nameForTarget(opcode, target));
  return CallOp::create(b, graph.getLoc(), type, name, target, args, kwargs).getResult();
}

Value mlir::fx::createCallFunction(OpBuilder &b, GraphOp graph, Type type, StringRef target,
                                   ArrayRef<Arg> args,
                                   ArrayRef<std::pair<std::string, Arg>> kwargs) {
  return createCall<CallFunctionOp>(b, graph, type, "call_function", target, args, kwargs);
}
Value mlir::fx::createCallMethod(OpBuilder &b, GraphOp graph, Type type, StringRef target,
                                 ArrayRef<Arg> args,
                                 ArrayRef<std::pair<std::string, Arg>> kwargs) {
  return createCall<CallMethodOp>(b, graph, type, "call_method", target, args, kwargs);
}
Value mlir::fx::createCallModule(OpBuilder &b, GraphOp graph, Type type, StringRef target,
                                 ArrayRef<Arg> args,
                                 ArrayRef<std::pair<std::string, Arg>> kwargs) {
  return createCall<CallModuleOp>(b, graph, type, "call_module", target, args, kwargs);
}
Value mlir::fx::createGetAttr(OpBuilder &b, GraphOp graph, Type type, StringRef target) {
  std::string name = uniqueNodeName(graph, nameForTarget("get_attr", target));
  return GetAttrOp::create(b, graph.getLoc(), type, name, target).getResult();
}

/// `arg` with every occurrence of `value` replaced by `replacement`.
static Arg substitute(const Arg &arg, Value value, const Arg &replacement) {
  switch (arg.getKind()) {
  case Arg::Kind::Value:
    return arg.getValue() == value ? replacement : arg;
  case Arg::Kind::Literal:
    return arg;
  case Arg::Kind::Tuple:
  case Arg::Kind::List:
  case Arg::Kind::Slice: {
    std::vector<Arg> items;
    for (const Arg &e : arg.getElements())
      items.push_back(substitute(e, value, replacement));
    if (arg.getKind() == Arg::Kind::Slice)
      return Arg::slice(items[0], items[1], items[2]);
    return arg.getKind() == Arg::Kind::Tuple ? Arg::tuple(items) : Arg::list(items);
  }
  case Arg::Kind::Dict: {
    std::vector<std::pair<Attribute, Arg>> entries;
    for (auto [k, v] : llvm::zip(arg.getKeys(), arg.getElements()))
      entries.emplace_back(k, substitute(v, value, replacement));
    return Arg::dict(entries);
  }
  }
  return arg;
}

void mlir::fx::replaceAllUsesWithLiteral(Value value, Attribute literal) {
  replaceAllUsesWithArg(value, Arg(literal));
}

void mlir::fx::replaceAllUsesWithArg(Value value, const Arg &replacement) {
  llvm::SmallPtrSet<Operation *, 4> users(value.getUsers().begin(), value.getUsers().end());
  for (Operation *user : users) {
    if (auto out = dyn_cast<OutputOp>(user)) {
      unsigned next = 0;
      Arg result =
          substitute(decodeArg(out.getArgs()[0], out.getInputs(), next), value, replacement);
      SmallVector<Value> operands;
      Attribute encoded = encodeArg(user->getContext(), result, operands);
      user->setOperands(operands);
      out.setArgsAttr(ArrayAttr::get(user->getContext(), {encoded}));
      continue;
    }
    std::vector<Arg> args;
    for (const Arg &a : getArgs(user))
      args.push_back(substitute(a, value, replacement));
    std::vector<std::pair<std::string, Arg>> kwargs;
    for (auto &[k, a] : getKwargs(user))
      kwargs.emplace_back(k, substitute(a, value, replacement));
    setArgs(user, args, kwargs);
  }
}
