//===- InlineFunctions.cpp - fx-inline-functions --------------------------===//
//
// Replaces each call of a `torch.fx.wrap`ped function whose body the importer recorded
// (`fx.body`) by a copy of that body, so that the passes after it see registered ops only.
//
//===----------------------------------------------------------------------===//
#include "fxmlir/Dialect/FX/GraphEditing.h"
#include "fxmlir/Dialect/FX/Naming.h"
#include "fxmlir/Transforms/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::fx {
#define GEN_PASS_DEF_FXINLINEFUNCTIONS
#include "fxmlir/Transforms/Passes.h.inc"
} // namespace mlir::fx

using namespace mlir;
using namespace mlir::fx;

namespace {
/// Copies the nodes of `body` before `call`, its placeholders bound to the call's operands,
/// with names made unique in `names`. Returns what the body's output returns, in terms of the
/// copies; `nested` receives the copies that call bodies themselves.
Arg copyBody(CallFunctionOp call, GraphOp body, NodeNamespace &names,
             SmallVectorImpl<CallFunctionOp> &nested) {
  IRMapping mapping;
  for (auto [placeholder, operand] : llvm::zip(getPlaceholders(body), call.getInputs()))
    mapping.map(placeholder.getResult(), operand);
  OpBuilder b(call);
  for (Operation &op : body.getBodyBlock()) {
    if (isa<PlaceholderOp, OutputOp>(op))
      continue;
    Operation *copy = b.clone(op, mapping);
    copy->setAttr("name",
                  b.getStringAttr(names.createName(cast<NodeOpInterface>(op).getNodeName())));
    // Errors in the copy point at the body's node, called from here.
    copy->setLoc(CallSiteLoc::get(op.getLoc(), call.getLoc()));
    if (callsFunctionBody(copy))
      nested.push_back(cast<CallFunctionOp>(copy));
  }
  OutputOp output = body.getOutput();
  SmallVector<Value> operands;
  for (Value v : output.getInputs())
    operands.push_back(mapping.lookupOrDefault(v));
  unsigned next = 0;
  return decodeArg(output.getArgs()[0], operands, next);
}

/// Replaces `call` by a copy of its body; calls among the copies are inlined in turn.
LogicalResult inlineCall(CallFunctionOp call, NodeNamespace &names, unsigned depth) {
  std::string unrecorded = getUnrecordedBodyMessage(call);
  if (!unrecorded.empty())
    return call.emitError(unrecorded);
  GraphOp body = getFunctionBody(call);
  if (!body)
    return call.emitError("the body of wrapped function ")
           << call.getTarget() << " is not in the graph module";
  if (depth >= kMaxFunctionBodyDepth)
    return call.emitError("bodies of wrapped functions nest more than ")
           << kMaxFunctionBodyDepth << " deep (do they call each other?)";

  SmallVector<CallFunctionOp> nested;
  Arg result = copyBody(call, body, names, nested);
  if (result.getKind() == Arg::Kind::Value) {
    Value v = result.getValue();
    // The last copied node computes what the call did: it takes the call's type.
    if (isa<AnyType>(v.getType()) && v.getDefiningOp() && !isa<PlaceholderOp>(v.getDefiningOp()))
      v.setType(call.getType());
    call.getResult().replaceAllUsesWith(v);
  } else {
    // A tuple, list or literal goes into the users' arguments (getitem of a tuple, ...).
    replaceAllUsesWithArg(call.getResult(), result);
  }
  call.erase();
  for (CallFunctionOp inner : nested)
    if (failed(inlineCall(inner, names, depth + 1)))
      return failure();
  return success();
}

/// Inlines every call of a recorded body in `graph`.
LogicalResult inlineCalls(GraphOp graph) {
  NodeNamespace names;
  SmallVector<CallFunctionOp> calls;
  for (Operation &op : graph.getBodyBlock()) {
    names.reserve(cast<NodeOpInterface>(op).getNodeName());
    if (callsFunctionBody(&op))
      calls.push_back(cast<CallFunctionOp>(op));
  }
  for (CallFunctionOp call : calls)
    if (failed(inlineCall(call, names, 0)))
      return failure();
  return success();
}

struct InlineFunctions : mlir::fx::impl::FxInlineFunctionsBase<InlineFunctions> {
  void runOnOperation() override {
    GraphModuleOp module = getOperation();
    llvm::SetVector<GraphOp> bodies;
    module.walk([&](CallFunctionOp call) {
      if (GraphOp body = getFunctionBody(call))
        bodies.insert(body);
    });
    SmallVector<GraphOp> callers;
    module.walk([&](GraphOp graph) {
      if (!bodies.contains(graph))
        callers.push_back(graph);
    });
    for (GraphOp graph : callers)
      if (failed(inlineCalls(graph)))
        return signalPassFailure();
    // Every call is a copy now: the bodies are dead.
    for (GraphOp body : bodies)
      body.erase();
  }
};
} // namespace
