//===- Functionalize.cpp - fx-functionalize -------------------------------===//
//
// In-place updates become calls computing the updated value, which later nodes read instead
// (the rules, and when an update is refused, are in Passes.td).
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Dialect/FX/GraphEditing.h"
#include "fxmlir/Dialect/FX/Naming.h"
#include "fxmlir/Ops/Registry.h"
#include "fxmlir/Transforms/Passes.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXFUNCTIONALIZE
#include "fxmlir/Transforms/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;
using namespace mlir::fx;

using Kwargs = std::vector<std::pair<std::string, Arg>>;

/// What a call's target names: a method's name, the last atom of a function's qualified name,
/// the op of an aten overload (`add_` in `torch.ops.aten.add_.Tensor`).
static StringRef calledOpName(StringRef opcode, StringRef target) {
  if (opcode == "call_method")
    return target;
  if (target.starts_with("torch.ops.")) {
    SmallVector<StringRef> atoms;
    target.split(atoms, '.');
    return atoms.size() > 3 ? atoms[3] : target;
  }
  size_t dot = target.rfind('.');
  return dot == StringRef::npos ? target : target.drop_front(dot + 1);
}

/// Tensor methods and torch functions spell an in-place update with one trailing underscore
/// (`add_`, `torch.relu_`); dunders are not updates, nor are other modules' functions (the
/// operator module's `and_` and `or_`, a user's `frob_`).
static bool isInPlaceName(StringRef opcode, StringRef target) {
  if (opcode == "call_function" && !target.starts_with("torch."))
    return false;
  StringRef name = calledOpName(opcode, target);
  return name.size() > 1 && name.ends_with("_") && !name.ends_with("__");
}

static bool isSetitem(StringRef opcode, StringRef target) {
  return opcode == "call_method" ? target == "__setitem__"
                                 : target == "operator.setitem" || target == "_operator.setitem";
}

/// Calls whose result may share memory with their first argument: views, and calls that
/// return it unchanged when there is nothing to do (dtype conversions, contiguous). Listed
/// whether or not they copy (reshape may), which only makes the check more cautious.
static bool isViewName(StringRef name) {
  static const llvm::StringSet<> views = {
      "getitem", "__getitem__", "view", "view_as", "reshape", "reshape_as", "_unsafe_view",
      "as_strided", "select", "narrow", "slice", "transpose", "swapaxes", "swapdims", "permute",
      "movedim", "moveaxis", "t", "expand", "expand_as", "broadcast_to", "squeeze", "unsqueeze",
      "flatten", "unflatten", "split", "split_with_sizes", "tensor_split", "chunk", "unbind",
      "hsplit", "vsplit", "dsplit", "diagonal", "unfold", "detach", "alias", "contiguous",
      "to", "type", "type_as", "float", "double", "half", "bfloat16", "int", "long", "short",
      "bool", "byte", "char", "cpu", "cuda", "view_as_real", "view_as_complex", "real", "imag"};
  return views.contains(name);
}

/// Tensor attributes that are views (`x.T`, `x.data`, ...).
static bool isViewAttribute(const Arg &name) {
  static const llvm::StringSet<> attributes = {"T", "mT", "H", "mH", "data", "real", "imag"};
  auto s = name.getKind() == Arg::Kind::Literal ? dyn_cast<StringAttr>(name.getLiteral())
                                                : StringAttr();
  return s && attributes.contains(s.getValue());
}

static bool isGetitem(StringRef opcode, StringRef target) {
  return opcode == "call_method" ? target == "__getitem__"
                                 : target == "operator.getitem" || target == "_operator.getitem";
}

/// Whether `index` is basic indexing with literals (ints, slices, None, `...`), which views its
/// tensor: a list, a bool or a node may be advanced indexing, which copies.
static bool isBasicLiteralIndex(const Arg &index) {
  switch (index.getKind()) {
  case Arg::Kind::Literal: {
    Attribute a = index.getLiteral();
    return (isa<IntegerAttr>(a) && !isa<BoolAttr>(a)) || isa<fx::NoneAttr, fx::EllipsisAttr>(a);
  }
  case Arg::Kind::Slice:
    return true; // its bounds are numbers
  case Arg::Kind::Tuple:
    return llvm::all_of(index.getElements(), [](const Arg &a) {
      return a.getKind() != Arg::Kind::Tuple && isBasicLiteralIndex(a);
    });
  default:
    return false;
  }
}

/// The index that takes `entry` along dimension `dim` of a tensor of any rank and keeps the
/// other dimensions: `(:, :, entry)` for dim 2, `(..., entry, :)` for dim -2.
static Arg indexAlong(MLIRContext *context, int64_t dim, Arg entry) {
  Arg all = Arg::slice(Arg(fx::NoneAttr::get(context)), Arg(fx::NoneAttr::get(context)),
                       Arg(fx::NoneAttr::get(context)));
  std::vector<Arg> index;
  if (dim >= 0) {
    index.assign(dim, all);
    index.push_back(std::move(entry));
  } else {
    index.push_back(Arg(fx::EllipsisAttr::get(context)));
    index.push_back(std::move(entry));
    index.insert(index.end(), -dim - 1, all);
  }
  return Arg::tuple(std::move(index));
}

static std::string nameOf(Value v) {
  return ("%" + cast<NodeOpInterface>(v.getDefiningOp()).getNodeName()).str();
}

static std::string describe(NodeOpInterface node) {
  return ("%" + node.getNodeName() + " = " + node.getOpcode() + "[target=" +
          node.getTargetName() + "]")
      .str();
}

/// The positional argument `index`, else the keyword argument `name`.
static std::optional<Arg> argument(ArrayRef<Arg> args, const Kwargs &kwargs, size_t index,
                                   StringRef name) {
  if (index < args.size())
    return args[index];
  for (const auto &[key, value] : kwargs)
    if (key == name)
      return value;
  return std::nullopt;
}

/// Whether a registered call passes `inplace=True` (`F.relu(x, inplace=True)`).
static bool passesInplace(Operation *op, StringRef opcode, StringRef target) {
  const fxmlir::OpInfo *info = fxmlir::Registry::get().lookupOp(opcode.str(), target.str());
  int at = info ? info->schema.find("inplace") : -1;
  if (at < 0)
    return false;
  std::vector<Arg> args = getArgs(op);
  std::vector<fxmlir::BoundParam<Arg>> bound;
  try {
    bound = fxmlir::bindParams<Arg>(info->schema, args, getKwargs(op), [&](size_t i) {
      return args[i].getKind() == Arg::Kind::Tuple || args[i].getKind() == Arg::Kind::List;
    });
  } catch (const fxmlir::OpError &) {
    return false; // a call that does not bind fails where it runs, with the binding's message
  }
  const std::vector<Arg> &values = bound[at].values;
  auto flag = values.size() == 1 && values[0].getKind() == Arg::Kind::Literal
                  ? dyn_cast<BoolAttr>(values[0].getLiteral())
                  : BoolAttr();
  return flag && flag.getValue();
}

/// Whether a call_module calls a module constructed with `inplace=True` (`nn.ReLU(True)`).
static bool callsInplaceModule(CallModuleOp call) {
  SubmoduleOp callee = call.getCallee();
  auto flag =
      callee ? dyn_cast_or_null<BoolAttr>(callee.getHyperparameter("inplace")) : BoolAttr();
  return flag && flag.getValue();
}

namespace {
struct Functionalize : mlir::fx::impl::FxFunctionalizeBase<Functionalize> {
  /// Nodes this pass made. Their results are fresh tensors, never views, even where the target
  /// could return a view (`t` for `t_`).
  llvm::DenseSet<Operation *> created;

  /// The value `op`'s result may be a view of, or null.
  Value viewBase(Operation *op) const {
    if (!isa<CallFunctionOp, CallMethodOp>(op) || created.contains(op))
      return {};
    auto node = cast<NodeOpInterface>(op);
    StringRef name = calledOpName(node.getOpcode(), node.getTargetName());
    std::vector<Arg> args = getArgs(op);
    if (args.empty() || args[0].getKind() != Arg::Kind::Value)
      return {};
    Value base = args[0].getValue();
    if (name == "getattr")
      return args.size() > 1 && isViewAttribute(args[1]) ? base : Value();
    if (!isViewName(name))
      return {};
    // An item of a tuple or list from a call that makes no views (torch.max's values and
    // indices) is a tensor of its own.
    bool ofSequence = isa<fx::TupleType, fx::ListType>(base.getType());
    if ((name == "getitem" || name == "__getitem__") && ofSequence)
      if (Operation *def = base.getDefiningOp(); def && !viewBase(def))
        return {};
    return base;
  }

  /// For a view that is basic indexing of its base, `base[index]` (aten slice and select,
  /// Tensor.select, getitem of a tensor with a literal basic index): the index, with which
  /// fxmlir.setitem writes a new value of the view back into its base. None for other views.
  std::optional<Arg> indexOfView(Operation *op) const {
    if (!viewBase(op))
      return std::nullopt;
    auto node = cast<NodeOpInterface>(op);
    StringRef opcode = node.getOpcode(), target = node.getTargetName();
    std::vector<Arg> args = getArgs(op);
    Kwargs kwargs = getKwargs(op);
    if (isGetitem(opcode, target)) {
      bool ofTensor = isa<TensorType>(args[0].getValue().getType());
      if (args.size() == 2 && kwargs.empty() && ofTensor && isBasicLiteralIndex(args[1]))
        return args[1];
      return std::nullopt;
    }
    StringRef name = calledOpName(opcode, target);
    bool aten = target.starts_with("torch.ops.aten.");
    if (!(aten && name == "slice") && !((aten || opcode == "call_method") && name == "select"))
      return std::nullopt;
    // Both take the dimension second; only a literal one says which index to write through.
    std::optional<Arg> dim = argument(args, kwargs, 1, "dim");
    auto dimAttr = !dim ? IntegerAttr()
                   : dim->getKind() == Arg::Kind::Literal ? dyn_cast<IntegerAttr>(dim->getLiteral())
                                                          : IntegerAttr();
    if ((dim && !dimAttr) || (dimAttr && isa<BoolAttr>(dimAttr)))
      return std::nullopt;
    int64_t d = dimAttr ? dimAttr.getInt() : 0;
    MLIRContext *context = op->getContext();
    Arg none(fx::NoneAttr::get(context));
    if (name == "select") {
      std::optional<Arg> at = argument(args, kwargs, 2, "index");
      return at ? std::optional<Arg>(indexAlong(context, d, *at)) : std::nullopt;
    }
    Arg entry = Arg::slice(argument(args, kwargs, 2, "start").value_or(none),
                           argument(args, kwargs, 3, "end").value_or(none),
                           argument(args, kwargs, 4, "step").value_or(none));
    return indexAlong(context, d, std::move(entry));
  }

  /// The chain of basic-indexing views `self` is, innermost first: self = bases[0][indices[0]],
  /// bases[0] = bases[1][indices[1]], ...; it stops at the first value that is no such view.
  struct IndexingChain {
    SmallVector<Value> bases;
    SmallVector<Arg> indices;
  };
  IndexingChain indexingChain(Value self) const {
    IndexingChain chain;
    for (Value view = self; Operation *def = view.getDefiningOp();) {
      std::optional<Arg> index = indexOfView(def);
      if (!index)
        break;
      view = viewBase(def);
      chain.bases.push_back(view);
      chain.indices.push_back(*index);
    }
    return chain;
  }

  /// The value `value` is a view of, through any number of views (itself if none).
  Value rootOf(Value value) const {
    while (Operation *def = value.getDefiningOp()) {
      Value base = viewBase(def);
      if (!base)
        break;
      value = base;
    }
    return value;
  }

  /// Every value that may share memory with `root` when `op` runs: its views made before
  /// `op`, their views, ..., and for a get_attr every get_attr of the same parameter or buffer
  /// and their views. (A view made later of a value read later is caught as that read.)
  llvm::SetVector<Value> aliasesOf(Value root, Operation *op) {
    llvm::SetVector<Value> aliases;
    aliases.insert(root);
    if (auto read = root.getDefiningOp<GetAttrOp>())
      for (GetAttrOp other : getOperation().getBodyBlock().getOps<GetAttrOp>())
        if (other.getTarget() == read.getTarget())
          aliases.insert(other.getResult());
    for (size_t i = 0; i < aliases.size(); ++i)
      for (Operation *user : aliases[i].getUsers())
        if (user->isBeforeInBlock(op) && viewBase(user) == aliases[i])
          aliases.insert(user->getResult(0));
    return aliases;
  }

  /// Fails, naming them, if a value sharing memory with `self` is read after `op` updates it:
  /// that read would see the update, which renaming cannot express. Later reads of `self`
  /// itself, and of the values it is basic indexing of (`indexingChain`), are what renaming
  /// redirects (see `commit`).
  LogicalResult checkUnobserved(Operation *op, Value self) {
    Value root = rootOf(self);
    IndexingChain chain = indexingChain(self);
    for (Value alias : aliasesOf(root, op)) {
      if (alias == self || llvm::is_contained(chain.bases, alias))
        continue;
      for (Operation *user : alias.getUsers()) {
        if (!op->isBeforeInBlock(user))
          continue;
        InFlightDiagnostic diag = op->emitError("in-place update of ") << nameOf(self);
        if (root != self)
          diag << ", a view of " << nameOf(root) << ",";
        return diag << " is not supported yet: " << nameOf(alias)
                    << ", which shares its memory, is read after it";
      }
    }
    return success();
  }

  /// A new node named after its target, where `op` is, of type `type`.
  Value call(OpBuilder &b, Operation *op, StringRef opcode, StringRef target, Type type,
             ArrayRef<Arg> args, const Kwargs &kwargs = {}) {
    std::string name = uniqueNodeName(getOperation(), nameForTarget(opcode, target));
    Operation *node;
    if (opcode == "call_method")
      node = CallMethodOp::create(b, op->getLoc(), type, name, target, args, kwargs);
    else
      node = CallFunctionOp::create(b, op->getLoc(), type, name, target, args, kwargs);
    created.insert(node);
    return node->getResult(0);
  }

  Type anyType() { return fx::AnyType::get(&getContext()); }

  /// `src` cast to self's dtype and broadcast to its shape: what `self.copy_(src)` leaves.
  Value copied(OpBuilder &b, Operation *op, Value self, const Arg &src) {
    Value cast = call(b, op, "call_method", "type_as", anyType(), {src, Arg(self)});
    return call(b, op, "call_method", "expand_as", op->getResult(0).getType(),
                {Arg(cast), Arg(self)});
  }

  /// The registered functional form of an in-place target, as (opcode, target); none if the
  /// registry has none.
  static std::optional<std::pair<std::string, std::string>> functionalForm(StringRef opcode,
                                                                          StringRef target) {
    StringRef name = calledOpName(opcode, target);
    StringRef before = target.take_front(name.data() - target.data());
    StringRef after = target.drop_front(before.size() + name.size());
    StringRef functional = name.drop_back();
    std::vector<std::pair<std::string, std::string>> candidates = {
        {opcode.str(), (Twine(before) + functional + after).str()}};
    if (target.starts_with("torch.ops.")) { // the overload packet, then the Tensor method
      candidates.emplace_back(opcode.str(), (Twine(before) + functional).str());
      candidates.emplace_back("call_method", functional.str());
    }
    for (auto &candidate : candidates)
      if (fxmlir::Registry::get().lookupOp(candidate.first, candidate.second))
        return candidate;
    return std::nullopt;
  }

  /// The value an in-place call leaves in its first argument `self`, computed by new nodes.
  FailureOr<Value> updatedValue(OpBuilder &b, Operation *op, Value self) {
    auto node = cast<NodeOpInterface>(op);
    StringRef opcode = node.getOpcode(), target = node.getTargetName();
    StringRef name = calledOpName(opcode, target);
    std::vector<Arg> args = getArgs(op);
    Kwargs kwargs = getKwargs(op);
    Type type = op->getResult(0).getType();
    if (name == "zero_")
      return call(b, op, "call_function", "torch.zeros_like", type, {Arg(self)});
    if (name == "copy_" || name == "fill_") {
      std::optional<Arg> value = argument(args, kwargs, 1, name == "copy_" ? "src" : "value");
      if (!value)
        return op->emitError("cannot functionalize ")
               << describe(node) << ": it has no " << (name == "copy_" ? "src" : "value");
      // fill_ takes a number or a 0-d tensor; a tensor is copied in. In an untyped body
      // (a wrapped function's) aten's overload says which (`fill_.Tensor`).
      bool isTensor = value->getKind() == Arg::Kind::Value &&
                      (isa<TensorType>(value->getValue().getType()) ||
                       (target.starts_with("torch.ops.") && target.ends_with(".Tensor")));
      if (name == "copy_" || isTensor)
        return copied(b, op, self, *value);
      return call(b, op, "call_function", "torch.full_like", type, {Arg(self), *value});
    }
    std::optional<std::pair<std::string, std::string>> form = functionalForm(opcode, target);
    if (!form)
      return op->emitError("cannot functionalize ")
             << describe(node) << ": the registry has no functional form of '" << target
             << "'";
    Value result = call(b, op, form->first, form->second, anyType(), args, kwargs);
    // An in-place update keeps self's dtype (an int tensor's add_(0.5) stays int).
    return call(b, op, "call_method", "type_as", type, {Arg(result), Arg(self)});
  }

  /// Later nodes (the output included) read `updated` where they read `self`; nodes this pass
  /// made after `op` (writing a call's result back into the bases of its input) read what
  /// they were made to.
  void readLater(Operation *op, Value self, Value updated) {
    self.replaceUsesWithIf(updated, [&](OpOperand &use) {
      return op->isBeforeInBlock(use.getOwner()) && !created.contains(use.getOwner());
    });
  }

  static bool readAfter(Operation *op, Value value) {
    return llvm::any_of(value.getUsers(),
                        [&](Operation *user) { return op->isBeforeInBlock(user); });
  }

  /// Later nodes read `updated` where they read `self`, and where they read a value `self` is
  /// basic indexing of (a mask filled through `m[0:2, 1:3]`), that value with the update
  /// written back by fxmlir.setitem, as far up the chain as later nodes read.
  void commit(OpBuilder &b, Operation *op, Value self, Value updated) {
    IndexingChain chain = indexingChain(self);
    size_t needed = 0;
    for (size_t i = 0; i < chain.bases.size(); ++i)
      if (readAfter(op, chain.bases[i]))
        needed = i + 1;
    SmallVector<Value> written;
    Value view = updated;
    for (size_t i = 0; i < needed; ++i) {
      Value base = chain.bases[i];
      view = call(b, op, "call_function", "fxmlir.setitem", base.getType(),
                  {Arg(base), chain.indices[i], Arg(view)});
      written.push_back(view);
    }
    readLater(op, self, updated);
    for (size_t i = 0; i < needed; ++i)
      readLater(op, chain.bases[i], written[i]);
  }

  /// The tensor a call updates: its first argument, which must be a node.
  static FailureOr<Value> updatedTensor(Operation *op) {
    std::vector<Arg> args = getArgs(op);
    if (args.empty() || args[0].getKind() != Arg::Kind::Value)
      return op->emitError("cannot functionalize ")
             << describe(cast<NodeOpInterface>(op)) << ": it updates no node in place";
    return args[0].getValue();
  }

  /// `x.add_(y)`, `torch.relu_(x)`, `x.copy_(src)`, ...: replaced by the updated value.
  LogicalResult replaceInPlaceCall(Operation *op) {
    FailureOr<Value> self = updatedTensor(op);
    if (failed(self) || failed(checkUnobserved(op, *self)))
      return failure();
    OpBuilder b(op);
    FailureOr<Value> updated = updatedValue(b, op, *self);
    if (failed(updated))
      return failure();
    commit(b, op, *self, *updated);
    op->getResult(0).replaceAllUsesWith(*updated); // an in-place call returns self
    op->erase();
    return success();
  }

  /// `x[index] = value`: replaced by fxmlir.setitem, x with the assignment done.
  LogicalResult replaceSetitem(Operation *op) {
    std::vector<Arg> args = getArgs(op);
    if (args.size() != 3 || !getKwargs(op).empty() || args[0].getKind() != Arg::Kind::Value)
      return op->emitError("cannot functionalize ")
             << describe(cast<NodeOpInterface>(op)) << ": expected (tensor, index, value)";
    Value self = args[0].getValue();
    if (failed(checkUnobserved(op, self)))
      return failure();
    OpBuilder b(op);
    Value updated = call(b, op, "call_function", "fxmlir.setitem", self.getType(), args);
    commit(b, op, self, updated);
    replaceAllUsesWithLiteral(op->getResult(0), fx::NoneAttr::get(&getContext()));
    op->erase();
    return success();
  }

  /// A call with `inplace=True` computes the updated value itself: later nodes read its result.
  /// (Its input passed by keyword is left as it is: such calls ran before this pass existed.)
  LogicalResult readResultLater(Operation *op) {
    std::vector<Arg> args = getArgs(op);
    if (args.empty() || args[0].getKind() != Arg::Kind::Value)
      return success();
    Value self = args[0].getValue();
    if (failed(checkUnobserved(op, self)))
      return failure();
    OpBuilder b(op->getNextNode());
    commit(b, op, self, op->getResult(0));
    return success();
  }

  LogicalResult functionalize(Operation *op) {
    if (auto module = dyn_cast<CallModuleOp>(op))
      return callsInplaceModule(module) ? readResultLater(op) : success();
    if (!isa<CallFunctionOp, CallMethodOp>(op))
      return success();
    auto node = cast<NodeOpInterface>(op);
    StringRef opcode = node.getOpcode(), target = node.getTargetName();
    if (isSetitem(opcode, target))
      return replaceSetitem(op);
    if (isInPlaceName(opcode, target))
      return replaceInPlaceCall(op);
    if (passesInplace(op, opcode, target))
      return readResultLater(op);
    return success();
  }

  void runOnOperation() override {
    created.clear();
    // In graph order, so that each update reads the values earlier updates left.
    for (Operation &op : llvm::make_early_inc_range(getOperation().getBodyBlock()))
      if (failed(functionalize(&op)))
        return signalPassFailure();
  }
};
} // namespace
