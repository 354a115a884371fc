//===- SequenceModules.cpp - Attention, transformer and recurrent modules -===//
//
// torch.nn's sequence modules, described as what their forward computes in eval mode (dropout
// off) in terms of registered functions, with PyTorch 1.13's numerics: MultiheadAttention as
// F.multi_head_attention_forward, the Transformer family through its children's own
// decompositions (ModuleBuilder::callChild), and the recurrent modules unrolled over their
// static sequence length, one cell step per time step.
//
//===----------------------------------------------------------------------===//
#include "KernelUtils.h"

#include <limits>

namespace fxmlir {

using H = ModuleBuilder::Handle;
using A = ModuleBuilder::Arg;
using TensorSpec = ModuleBuilder::TensorSpec;

namespace {

A lit(int64_t v) { return A(PyValue::integer(v)); }
A lit(double v) { return A(PyValue::floating(v)); }
A lit(bool v) { return A(PyValue::boolean(v)); }
A none() { return A(PyValue::none()); }
A intList(std::vector<int64_t> values) {
  std::vector<PyValue> items;
  for (int64_t v : values)
    items.push_back(PyValue::integer(v));
  return A(PyValue::list(std::move(items)));
}
A optionalParam(ModuleBuilder &m, const std::string &path) {
  return m.hasParam(path) ? A(m.param(path)) : none();
}

H transpose(ModuleBuilder &m, H x, int64_t a, int64_t b) {
  return m.call("torch.transpose", {x, lit(a), lit(b)});
}
H unsqueeze(ModuleBuilder &m, H x, int64_t dim) {
  return m.call("torch.unsqueeze", {x, lit(dim)});
}
H squeeze(ModuleBuilder &m, H x, int64_t dim) { return m.call("torch.squeeze", {x, lit(dim)}); }
H reshape(ModuleBuilder &m, H x, std::vector<int64_t> shape) {
  return m.call("torch.reshape", {x, intList(std::move(shape))});
}
// Arguments that are themselves builder calls are evaluated in an unspecified order: callers
// sequence them (braced lists, as in `m.call(t, {f(), g()})`, are sequenced).
H add(ModuleBuilder &m, A x, A y) { return m.call("operator.add", {x, y}); }
H mul(ModuleBuilder &m, A x, A y) { return m.call("operator.mul", {x, y}); }
H linear(ModuleBuilder &m, H x, const std::string &weight, const std::string &bias) {
  return m.call("torch.nn.functional.linear", {x, m.param(weight), optionalParam(m, bias)});
}
/// A flag argument of forward (need_weights, ...), which decides the graph's structure.
bool flag(ModuleBuilder &m, H h, const char *name) {
  std::optional<PyValue> v = m.literal(h);
  if (!v || !v->isNumber())
    throw OpError(std::string(name) + " must be a constant bool, not a value computed at run time");
  return v->toBool();
}
H zeros(ModuleBuilder &m, std::vector<int64_t> shape, DType dtype) {
  std::vector<A> args;
  for (int64_t d : shape)
    args.push_back(lit(d));
  return m.call("torch.zeros", args, {{"dtype", A(PyValue::dtype(dtype))}});
}

//===----------------------------------------------------------------------===//
// MultiheadAttention
//===----------------------------------------------------------------------===//

/// A bool mask (True: masked out) as the additive float mask F.multi_head_attention_forward
/// makes of it: 0 where kept, -inf where masked.
H additiveMask(ModuleBuilder &m, H mask, DType dtype) {
  H zero = m.call("torch.zeros_like", {mask}, {{"dtype", A(PyValue::dtype(dtype))}});
  return m.call("torch.masked_fill",
                {zero, mask, lit(-std::numeric_limits<double>::infinity())});
}

/// attn_mask and key_padding_mask (already padded to `srcLen`) merged into one additive mask
/// broadcastable to (N * heads, L, S), or None, as F.multi_head_attention_forward merges them.
A mergedMask(ModuleBuilder &m, H attnMask, H keyPaddingMask, int64_t batch, int64_t heads,
             int64_t srcLen, DType dtype) {
  std::optional<H> mask;
  bool isBool = false;
  if (!m.isNone(attnMask)) {
    mask = attnMask;
    isBool = m.spec(attnMask).dtype == DType::Bool;
  }
  if (!m.isNone(keyPaddingMask)) {
    bool kpmBool = m.spec(keyPaddingMask).dtype == DType::Bool;
    H kpm = reshape(m, keyPaddingMask, {batch, 1, 1, srcLen});
    kpm = m.call("torch.broadcast_to", {kpm, intList({batch, heads, 1, srcLen})});
    kpm = reshape(m, kpm, {batch * heads, 1, srcLen});
    if (!mask) {
      mask = kpm;
      isBool = kpmBool;
    } else if (isBool) {
      mask = m.call("torch.logical_or", {*mask, kpm});
    } else {
      if (!kpmBool)
        throw OpError("a float attn_mask with a float key_padding_mask: PyTorch 1.13 rejects "
                      "it (masked_fill needs a bool mask)");
      mask = m.call("torch.masked_fill",
                    {*mask, kpm, lit(-std::numeric_limits<double>::infinity())});
    }
  }
  if (!mask)
    return none();
  return isBool ? A(additiveMask(m, *mask, dtype)) : A(*mask);
}

/// Pads a mask's last dimension by one kept position (add_bias_kv, add_zero_attn), or passes
/// None through.
H padMask(ModuleBuilder &m, H mask) {
  if (m.isNone(mask))
    return mask;
  return m.call("torch.nn.functional.pad", {mask, intList({0, 1})});
}

/// torch.nn.MultiheadAttention.forward in eval mode: (attn_output, attn_weights or None).
H multiheadAttention(ModuleBuilder &m) {
  H query = m.input(0), key = m.input(1), value = m.input(2);
  H keyPaddingMask = m.input(3), attnMask = m.input(5);
  bool needWeights = flag(m, m.input(4), "need_weights");
  bool averageWeights = flag(m, m.input(6), "average_attn_weights");
  int64_t embed = m.hyper("embed_dim").toInt(), heads = m.hyper("num_heads").toInt();
  int64_t headDim = embed / heads;

  bool batched = m.spec(query).rank() == 3;
  bool batchFirst = batched && m.hyper("batch_first").toBool();
  auto toSeqFirst = [&](H x) {
    return batchFirst ? transpose(m, x, 1, 0) : batched ? x : unsqueeze(m, x, 1);
  };
  query = toSeqFirst(query);
  key = toSeqFirst(key);
  value = toSeqFirst(value);
  if (!batched && !m.isNone(keyPaddingMask))
    keyPaddingMask = unsqueeze(m, keyPaddingMask, 0);
  Shape qShape = m.spec(query).shape;
  int64_t tgtLen = qShape[0], batch = qShape[1], srcLen = m.spec(key).shape[0];
  DType dtype = m.spec(query).dtype;

  // In-projections: one packed weight (and bias) in q, k, v thirds, or three weights where
  // kdim/vdim differ from embed_dim.
  H q, k, v;
  A bq = none(), bk = none(), bv = none();
  if (m.hasParam("in_proj_bias")) {
    H b = m.call("torch.chunk", {m.param("in_proj_bias"), lit(int64_t(3))});
    bq = m.item(b, 0), bk = m.item(b, 1), bv = m.item(b, 2);
  }
  auto project = [&](H x, A w, A b) { return m.call("torch.nn.functional.linear", {x, w, b}); };
  if (m.hasParam("in_proj_weight")) {
    H w = m.call("torch.chunk", {m.param("in_proj_weight"), lit(int64_t(3))});
    q = project(query, m.item(w, 0), bq);
    k = project(key, m.item(w, 1), bk);
    v = project(value, m.item(w, 2), bv);
  } else {
    q = project(query, m.param("q_proj_weight"), bq);
    k = project(key, m.param("k_proj_weight"), bk);
    v = project(value, m.param("v_proj_weight"), bv);
  }

  if (!m.isNone(attnMask)) {
    TensorSpec s = m.spec(attnMask);
    if (s.dtype != DType::Bool && !isFloating(s.dtype))
      throw OpError(std::string("attn_mask of dtype ") + dtypeName(s.dtype) +
                    " is not supported (bool or float; byte masks are deprecated)");
    if (s.rank() == 2)
      attnMask = unsqueeze(m, attnMask, 0);
    else if (s.rank() != 3)
      throw OpError("attn_mask's dimension " + std::to_string(s.rank()) + " is not supported");
  }
  // add_bias_kv: one learnt key/value position appended to every sequence.
  if (m.hasParam("bias_k")) {
    auto append = [&](H x, const char *bias) {
      H b = m.call("torch.broadcast_to", {m.param(bias), intList({1, batch, embed})});
      return m.call("torch.cat", {m.tuple({x, b}), lit(int64_t(0))});
    };
    k = append(k, "bias_k");
    v = append(v, "bias_v");
    attnMask = padMask(m, attnMask);
    keyPaddingMask = padMask(m, keyPaddingMask);
    ++srcLen;
  }
  // (L, N, E) -> (N * heads, L, head_dim)
  auto splitHeads = [&](H x, int64_t len) {
    return transpose(m, reshape(m, x, {len, batch * heads, headDim}), 0, 1);
  };
  q = splitHeads(q, tgtLen);
  k = splitHeads(k, srcLen);
  v = splitHeads(v, srcLen);
  // add_zero_attn: one all-zero key/value position appended after the heads split.
  if (m.hyper("add_zero_attn").toBool()) {
    H zero = zeros(m, {batch * heads, 1, headDim}, dtype);
    k = m.call("torch.cat", {m.tuple({k, zero}), lit(int64_t(1))});
    v = m.call("torch.cat", {m.tuple({v, zero}), lit(int64_t(1))});
    attnMask = padMask(m, attnMask);
    keyPaddingMask = padMask(m, keyPaddingMask);
    ++srcLen;
  }
  A mask = mergedMask(m, attnMask, keyPaddingMask, batch, heads, srcLen, dtype);

  // As torch: q scaled before q @ k^T, the mask added by baddbmm.
  H qScaled = m.call("torch.div", {q, lit(std::sqrt((double)headDim))});
  H kT = transpose(m, k, -2, -1);
  H scores = mask.handle < 0 && mask.literal.isNone()
                 ? m.call("torch.bmm", {qScaled, kT})
                 : m.call("torch.baddbmm", {mask, qScaled, kT});
  H weights = m.call("torch.nn.functional.softmax", {scores}, {{"dim", lit(int64_t(-1))}});
  H out = transpose(m, m.call("torch.bmm", {weights, v}), 0, 1);
  out = reshape(m, out, {tgtLen * batch, embed});
  out = linear(m, out, "out_proj.weight", "out_proj.bias");
  out = reshape(m, out, {tgtLen, batch, embed});

  A resultWeights = none();
  if (needWeights) {
    H w = reshape(m, weights, {batch, heads, tgtLen, srcLen});
    if (averageWeights)
      w = m.call("torch.div", {m.call("torch.sum", {w, intList({1})}), lit(heads)});
    resultWeights = batched ? w : squeeze(m, w, 0);
  }
  if (!batched)
    out = squeeze(m, out, 1);
  else if (batchFirst)
    out = transpose(m, out, 1, 0);
  return m.tuple({out, resultWeights});
}

//===----------------------------------------------------------------------===//
// Transformer layers
//===----------------------------------------------------------------------===//

/// The name of an encoder/decoder layer's activation ("relu", "gelu") where it is a function
/// the importer records by name (`activation="gelu"` or F.gelu); "" where it is a child module.
std::string activationName(ModuleBuilder &m, const std::string &layer) {
  std::string prefix = layer.empty() ? "" : layer + ".";
  if (!m.childType(prefix + "activation").empty())
    return "";
  PyValue a = layer.empty() ? m.hyper("activation") : m.childHyper(layer, "activation");
  std::string name = a.kind() == PyValue::Kind::Str ? a.toStr() : "";
  name = name.substr(name.rfind('.') + 1); // "torch.nn.functional.gelu" -> "gelu"
  if (name != "relu" && name != "gelu")
    throw OpError("transformer activation " + a.describe() +
                  " is not supported (relu, gelu, or an activation module)");
  return name;
}

H activation(ModuleBuilder &m, H x) {
  std::string name = activationName(m, "");
  if (name.empty())
    return m.callChild("activation", {x});
  return m.call("torch.nn.functional." + name, {x});
}

/// The feed-forward block: linear2(activation(linear1(x))).
H feedForward(ModuleBuilder &m, H x) {
  return m.callChild("linear2", {activation(m, m.callChild("linear1", {x}))});
}

/// attn(query, kv, kv) of the child `attn` without weights: its attn_output.
H attentionBlock(ModuleBuilder &m, const std::string &attn, H query, H kv, H mask,
                 H keyPaddingMask) {
  H r = m.callChild(attn, {query, kv, kv},
                    {{"key_padding_mask", keyPaddingMask},
                     {"need_weights", lit(false)},
                     {"attn_mask", mask}});
  return m.item(r, 0);
}

/// Residual blocks `blocks[i]` with norm `norms[i]`, pre-norm (x + f(norm(x))) or post-norm
/// (norm(x + f(x))).
H residualBlocks(ModuleBuilder &m, H x, const std::vector<std::function<H(H)>> &blocks) {
  bool normFirst = m.hyper("norm_first").toBool();
  for (size_t i = 0; i < blocks.size(); ++i) {
    std::string norm = "norm" + std::to_string(i + 1);
    x = normFirst ? add(m, x, blocks[i](m.callChild(norm, {x})))
                  : m.callChild(norm, {add(m, x, blocks[i](x))});
  }
  return x;
}

H encoderLayer(ModuleBuilder &m) {
  H mask = m.input(1), keyPaddingMask = m.input(2);
  return residualBlocks(
      m, m.input(0),
      {[&](H x) { return attentionBlock(m, "self_attn", x, x, mask, keyPaddingMask); },
       [&](H x) { return feedForward(m, x); }});
}

H decoderLayer(ModuleBuilder &m) {
  H memory = m.input(1), tgtMask = m.input(2), memoryMask = m.input(3);
  H tgtPadding = m.input(4), memoryPadding = m.input(5);
  return residualBlocks(
      m, m.input(0),
      {[&](H x) { return attentionBlock(m, "self_attn", x, x, tgtMask, tgtPadding); },
       [&](H x) { return attentionBlock(m, "multihead_attn", x, memory, memoryMask,
                                        memoryPadding); },
       [&](H x) { return feedForward(m, x); }});
}

/// Whether TransformerEncoder.forward in 1.13 takes its nested-tensor fast path, which returns
/// zeros at padded positions: the static part of its conditions. The data-dependent one (the
/// padding mask is left-aligned: padding only at the end of each sequence) is assumed.
bool encoderTakesNestedPath(ModuleBuilder &m, H src, H mask, H keyPaddingMask) {
  const std::string layer = "layers.0";
  if (m.isNone(keyPaddingMask) || !m.isNone(mask) || m.spec(src).rank() != 3 ||
      !m.hyper("enable_nested_tensor").toBool() ||
      m.spec(keyPaddingMask).dtype != DType::Bool ||
      m.childType(layer) != "torch.nn.TransformerEncoderLayer" ||
      m.childHyper(layer, "norm_first").toBool() ||
      !m.childHyper(layer + ".self_attn", "batch_first").toBool() ||
      !m.hasParam(layer + ".self_attn.in_proj_weight") ||
      m.childHyper(layer + ".self_attn", "num_heads").toInt() % 2 == 1 ||
      m.childHyper(layer + ".norm1", "eps").toDouble() !=
          m.childHyper(layer + ".norm2", "eps").toDouble())
    return false;
  std::string act = m.childType(layer + ".activation");
  return act.empty() || act == "torch.nn.ReLU" || act == "torch.nn.GELU";
}

/// Runs the stacked layers `layers.0` ... `layers.<num_layers - 1>`, then the optional `norm`.
H layerStack(ModuleBuilder &m, std::vector<A> args, std::vector<std::pair<std::string, A>> kwargs,
             const std::function<H(H)> &beforeNorm = nullptr) {
  H x = args[0].handle;
  for (int64_t i = 0, n = m.hyper("num_layers").toInt(); i < n; ++i) {
    args[0] = x;
    x = m.callChild("layers." + std::to_string(i), args, kwargs);
  }
  if (beforeNorm)
    x = beforeNorm(x);
  return m.childType("norm").empty() ? x : m.callChild("norm", {x});
}

H encoder(ModuleBuilder &m) {
  H src = m.input(0), mask = m.input(1), keyPaddingMask = m.input(2);
  std::function<H(H)> zeroPadded;
  if (encoderTakesNestedPath(m, src, mask, keyPaddingMask))
    zeroPadded = [&](H x) {
      return m.call("torch.masked_fill",
                    {x, unsqueeze(m, keyPaddingMask, -1), lit(0.0)});
    };
  return layerStack(m, {src},
                    {{"src_mask", mask}, {"src_key_padding_mask", keyPaddingMask}}, zeroPadded);
}

H decoder(ModuleBuilder &m) {
  return layerStack(m, {m.input(0), m.input(1)},
                    {{"tgt_mask", m.input(2)},
                     {"memory_mask", m.input(3)},
                     {"tgt_key_padding_mask", m.input(4)},
                     {"memory_key_padding_mask", m.input(5)}});
}

H transformer(ModuleBuilder &m) {
  H memory = m.callChild("encoder", {m.input(0)},
                         {{"mask", m.input(2)}, {"src_key_padding_mask", m.input(5)}});
  return m.callChild("decoder", {m.input(1), memory},
                     {{"tgt_mask", m.input(3)},
                      {"memory_mask", m.input(4)},
                      {"tgt_key_padding_mask", m.input(6)},
                      {"memory_key_padding_mask", m.input(7)}});
}

//===----------------------------------------------------------------------===//
// Recurrent modules
//===----------------------------------------------------------------------===//

enum class CellKind { RnnTanh, RnnRelu, Lstm, Gru };

/// The parameters of one cell: `weight_hh<suffix>`, `bias_hh<suffix>`, `weight_hr<suffix>`.
struct CellParams {
  CellKind kind;
  std::string suffix; // "", "_l0", "_l1_reverse"
};

struct State {
  H h, c; // c: LSTM only
};

/// One time step from `xg` = x W_ih^T + b_ih (computed for the whole sequence at once): the
/// state after it, as torch's cells compute it (gates i, f, g, o for LSTM; r, z, n for GRU).
State cellStep(ModuleBuilder &m, const CellParams &p, H xg, State s) {
  H hg = linear(m, s.h, "weight_hh" + p.suffix, "bias_hh" + p.suffix);
  switch (p.kind) {
  case CellKind::RnnTanh:
    return {m.call("torch.tanh", {add(m, xg, hg)}), -1};
  case CellKind::RnnRelu:
    return {m.call("torch.nn.functional.relu", {add(m, xg, hg)}), -1};
  case CellKind::Lstm: {
    H gates = m.call("torch.chunk", {add(m, xg, hg), lit(int64_t(4)), lit(int64_t(1))});
    auto gate = [&](size_t i, const char *fn) { return m.call(fn, {m.item(gates, i)}); };
    H i = gate(0, "torch.sigmoid"), f = gate(1, "torch.sigmoid"), g = gate(2, "torch.tanh"),
      o = gate(3, "torch.sigmoid");
    H keep = mul(m, f, s.c), write = mul(m, i, g); // sequenced: node order is deterministic
    H c = add(m, keep, write);
    H h = mul(m, o, m.call("torch.tanh", {c}));
    if (m.hasParam("weight_hr" + p.suffix))
      h = m.call("torch.nn.functional.linear", {h, m.param("weight_hr" + p.suffix), none()});
    return {h, c};
  }
  case CellKind::Gru: {
    H xs = m.call("torch.chunk", {xg, lit(int64_t(3)), lit(int64_t(1))});
    H hs = m.call("torch.chunk", {hg, lit(int64_t(3)), lit(int64_t(1))});
    // Locals sequence the calls, so that the nodes come in a deterministic order.
    auto gateSum = [&](size_t k) {
      H xk = m.item(xs, k), hk = m.item(hs, k);
      return add(m, xk, hk);
    };
    H r = m.call("torch.sigmoid", {gateSum(0)});
    H z = m.call("torch.sigmoid", {gateSum(1)});
    H xn = m.item(xs, 2), rh = mul(m, r, m.item(hs, 2));
    H n = m.call("torch.tanh", {add(m, xn, rh)});
    // (1 - z) * n + z * h
    H fresh = mul(m, m.call("torch.rsub", {z, lit(int64_t(1))}), n), kept = mul(m, z, s.h);
    H h = add(m, fresh, kept);
    return {h, -1};
  }
  }
  return s;
}

CellKind rnnKind(const std::string &nonlinearity) {
  if (nonlinearity == "tanh")
    return CellKind::RnnTanh;
  if (nonlinearity == "relu")
    return CellKind::RnnRelu;
  throw OpError("RNN nonlinearity '" + nonlinearity + "' is not supported (tanh or relu)");
}

/// torch.nn.RNN / LSTM / GRU: every layer and direction unrolled over the static sequence
/// length; returns (output, h_n) or, for LSTM, (output, (h_n, c_n)).
H recurrent(ModuleBuilder &m, CellKind kind) {
  H x = m.input(0), hx = m.input(1);
  bool batched = m.spec(x).rank() == 3;
  bool batchFirst = batched && m.hyper("batch_first").toBool();
  x = batchFirst ? transpose(m, x, 0, 1) : batched ? x : unsqueeze(m, x, 1);
  TensorSpec sx = m.spec(x);
  int64_t seqLen = sx.shape[0], batch = sx.shape[1];
  int64_t hidden = m.hyper("hidden_size").toInt(), layers = m.hyper("num_layers").toInt();
  int64_t dirs = m.hyper("bidirectional").toBool() ? 2 : 1;
  bool lstm = kind == CellKind::Lstm;
  int64_t proj = lstm ? m.hyper("proj_size").toInt() : 0;
  int64_t outSize = proj > 0 ? proj : hidden;

  // Initial states, one per layer and direction: hx's slices or zeros.
  auto initial = [&](std::optional<H> given, int64_t size) {
    std::vector<H> states;
    if (!given) {
      states.assign(layers * dirs, zeros(m, {batch, size}, sx.dtype));
      return states;
    }
    H all = batched ? *given : unsqueeze(m, *given, 1);
    H slices = m.call("torch.unbind", {all, lit(int64_t(0))});
    for (int64_t i = 0; i < layers * dirs; ++i)
      states.push_back(m.item(slices, i));
    return states;
  };
  bool noState = m.isNone(hx);
  std::vector<H> h0 = initial(noState ? std::nullopt : std::optional<H>(lstm ? m.item(hx, 0) : hx),
                              outSize);
  std::vector<H> c0;
  if (lstm)
    c0 = initial(noState ? std::nullopt : std::optional<H>(m.item(hx, 1)), hidden);

  std::vector<A> hn, cn;
  for (int64_t l = 0; l < layers; ++l) {
    std::vector<A> outputs;
    for (int64_t d = 0; d < dirs; ++d) {
      CellParams p{kind, "_l" + std::to_string(l) + (d ? "_reverse" : "")};
      H xg = linear(m, x, "weight_ih" + p.suffix, "bias_ih" + p.suffix);
      H steps = m.call("torch.unbind", {xg, lit(int64_t(0))});
      State s{h0[l * dirs + d], lstm ? c0[l * dirs + d] : -1};
      std::vector<A> hs(seqLen, none());
      for (int64_t i = 0; i < seqLen; ++i) {
        int64_t t = d ? seqLen - 1 - i : i;
        s = cellStep(m, p, m.item(steps, t), s);
        hs[t] = s.h;
      }
      outputs.push_back(m.call("torch.stack", {m.tuple(hs), lit(int64_t(0))}));
      hn.push_back(s.h);
      if (lstm)
        cn.push_back(s.c);
    }
    x = dirs == 1 ? outputs[0].handle : m.call("torch.cat", {m.tuple(outputs), lit(int64_t(2))});
  }
  auto finalState = [&](const std::vector<A> &states) {
    H stacked = m.call("torch.stack", {m.tuple(states), lit(int64_t(0))});
    return batched ? stacked : squeeze(m, stacked, 1);
  };
  H out = !batched ? squeeze(m, x, 1) : batchFirst ? transpose(m, x, 0, 1) : x;
  if (lstm)
    return m.tuple({out, m.tuple({finalState(hn), finalState(cn)})});
  return m.tuple({out, finalState(hn)});
}

/// torch.nn.RNNCell / LSTMCell / GRUCell: one step; h' or, for LSTMCell, (h', c').
H cell(ModuleBuilder &m, CellKind kind) {
  H x = m.input(0), hx = m.input(1);
  bool batched = m.spec(x).rank() == 2;
  if (!batched)
    x = unsqueeze(m, x, 0);
  TensorSpec sx = m.spec(x);
  int64_t hidden = m.hyper("hidden_size").toInt();
  bool lstm = kind == CellKind::Lstm;
  auto state = [&](std::optional<H> given) {
    if (!given)
      return zeros(m, {sx.shape[0], hidden}, sx.dtype);
    return batched ? *given : unsqueeze(m, *given, 0);
  };
  bool noState = m.isNone(hx);
  State s{state(noState ? std::nullopt : std::optional<H>(lstm ? m.item(hx, 0) : hx)), -1};
  if (lstm)
    s.c = state(noState ? std::nullopt : std::optional<H>(m.item(hx, 1)));
  CellParams p{kind, ""};
  s = cellStep(m, p, linear(m, x, "weight_ih", "bias_ih"), s);
  auto result = [&](H h) { return batched ? h : squeeze(m, h, 0); };
  if (lstm)
    return m.tuple({result(s.h), result(s.c)});
  return result(s.h);
}

void addRecurrentModules(Registry &r) {
  // The importer records RNNBase's constructor arguments (torch.nn.RNN's own signature is
  // *args, **kwargs); `mode` tells RNN_TANH from RNN_RELU as `nonlinearity` does.
  const std::string common = "int input_size, int hidden_size, int num_layers=1, bool bias=True, "
                             "bool batch_first=False, float dropout=0.0, "
                             "bool bidirectional=False, int proj_size=0, str mode=\"\"";
  r.addModule("torch.nn.RNN", "RNN(" + common + ", str nonlinearity=\"tanh\")",
              "forward(Tensor input, Tensor? hx=None)",
              [](ModuleBuilder &m) {
                std::string mode = m.hyper("mode").toStr();
                std::string nl = mode == "RNN_RELU"   ? "relu"
                                 : mode == "RNN_TANH" ? "tanh"
                                                      : m.hyper("nonlinearity").toStr();
                return recurrent(m, rnnKind(nl));
              })
      .withSamples({{"4, 5", "T(3, 2, 4)"},
                    {"4, 5, 2, nonlinearity='relu', batch_first=True", "T(2, 3, 4), T(2, 2, 5)"},
                    {"4, 5, bidirectional=True, bias=False", "T(3, 4)"}});
  r.addModule("torch.nn.LSTM", "LSTM(" + common + ")", "forward(Tensor input, Any hx=None)",
              [](ModuleBuilder &m) { return recurrent(m, CellKind::Lstm); })
      .withSamples({{"4, 5", "T(3, 2, 4)"},
                    {"4, 5, 2, batch_first=True, bidirectional=True",
                     "T(2, 3, 4), (T(4, 2, 5), T(4, 2, 5))"},
                    {"4, 5, proj_size=3", "T(3, 4)"}});
  r.addModule("torch.nn.GRU", "GRU(" + common + ")", "forward(Tensor input, Tensor? hx=None)",
              [](ModuleBuilder &m) { return recurrent(m, CellKind::Gru); })
      .withSamples({{"4, 5", "T(3, 2, 4)"},
                    {"4, 5, 2, bidirectional=True, batch_first=True", "T(2, 3, 4), T(4, 2, 5)"}});
  r.addModule("torch.nn.RNNCell",
              "RNNCell(int input_size, int hidden_size, bool bias=True, "
              "str nonlinearity=\"tanh\")",
              "forward(Tensor input, Tensor? hx=None)",
              [](ModuleBuilder &m) {
                return cell(m, rnnKind(m.hyper("nonlinearity").toStr()));
              })
      .withSamples({{"4, 5", "T(2, 4)"}, {"4, 5, nonlinearity='relu'", "T(2, 4), T(2, 5)"}});
  r.addModule("torch.nn.LSTMCell", "LSTMCell(int input_size, int hidden_size, bool bias=True)",
              "forward(Tensor input, Any hx=None)",
              [](ModuleBuilder &m) { return cell(m, CellKind::Lstm); })
      .withSamples({{"4, 5", "T(2, 4)"}, {"4, 5, bias=False", "T(4), (T(5), T(5))"}});
  r.addModule("torch.nn.GRUCell", "GRUCell(int input_size, int hidden_size, bool bias=True)",
              "forward(Tensor input, Tensor? hx=None)",
              [](ModuleBuilder &m) { return cell(m, CellKind::Gru); })
      .withSamples({{"4, 5", "T(2, 4)"}, {"4, 5", "T(4), T(5)"}});
}

void addTransformerModules(Registry &r) {
  r.addModule("torch.nn.MultiheadAttention",
              "MultiheadAttention(int embed_dim, int num_heads, float dropout=0.0, "
              "bool bias=True, bool add_bias_kv=False, bool add_zero_attn=False, "
              "int? kdim=None, int? vdim=None, bool batch_first=False)",
              "forward(Tensor query, Tensor key, Tensor value, Tensor? key_padding_mask=None, "
              "bool need_weights=True, Tensor? attn_mask=None, "
              "bool average_attn_weights=True)",
              multiheadAttention)
      .withSamples(
          {{"8, 2", "T(3, 2, 8), T(4, 2, 8), T(4, 2, 8)"},
           {"8, 2, batch_first=True",
            "T(2, 3, 8), T(2, 3, 8), T(2, 3, 8), attn_mask=T(3, 3, dtype='bool', high=1), "
            "average_attn_weights=False"},
           {"8, 2, kdim=4, vdim=6, bias=False",
            "T(3, 8), T(4, 4), T(4, 6), need_weights=False, attn_mask=T(3, 4)"},
           {"8, 4, add_bias_kv=True, add_zero_attn=True",
            "T(3, 2, 8), T(3, 2, 8), T(3, 2, 8), key_padding_mask=T(2, 3, dtype='bool', high=1), "
            "attn_mask=T(8, 3, 3)"},
           {"8, 2", "T(3, 2, 8), T(3, 2, 8), T(3, 2, 8), key_padding_mask=T(2, 3)"}});
  // These keep only norm_first (and the activation, when a function) as attributes; the rest
  // lives in their children (self_attn, linear1, norm1, ...), which the decomposition runs.
  const std::string layerCtor =
      "(int? d_model=None, int? nhead=None, int dim_feedforward=2048, float dropout=0.1, "
      "Any activation=\"relu\", float layer_norm_eps=1e-05, bool batch_first=False, "
      "bool norm_first=False)";
  r.addModule("torch.nn.TransformerEncoderLayer", "TransformerEncoderLayer" + layerCtor,
              "forward(Tensor src, Tensor? src_mask=None, Tensor? src_key_padding_mask=None)",
              encoderLayer)
      .withSamples({{"8, 2, 16", "T(3, 2, 8)"},
                    {"8, 2, 16, activation='gelu', batch_first=True, norm_first=True",
                     "T(2, 3, 8), src_mask=T(3, 3)"},
                    {"8, 2, 16, batch_first=True",
                     "T(2, 3, 8), src_key_padding_mask=T(2, 3, dtype='bool', high=1)"}});
  r.addModule("torch.nn.TransformerDecoderLayer", "TransformerDecoderLayer" + layerCtor,
              "forward(Tensor tgt, Tensor memory, Tensor? tgt_mask=None, "
              "Tensor? memory_mask=None, Tensor? tgt_key_padding_mask=None, "
              "Tensor? memory_key_padding_mask=None)",
              decoderLayer)
      .withSamples({{"8, 2, 16", "T(3, 2, 8), T(4, 2, 8)"},
                    {"8, 2, 16, activation='gelu', batch_first=True, norm_first=True",
                     "T(2, 3, 8), T(2, 4, 8), tgt_mask=T(3, 3), memory_mask=T(3, 4)"}});
  r.addModule("torch.nn.TransformerEncoder",
              "TransformerEncoder(Any encoder_layer=None, int num_layers=1, Any norm=None, "
              "bool enable_nested_tensor=True, bool mask_check=True)",
              "forward(Tensor src, Tensor? mask=None, Tensor? src_key_padding_mask=None)",
              encoder)
      .withSamples(
          {{"torch.nn.TransformerEncoderLayer(8, 2, 16), 2, torch.nn.LayerNorm(8)",
            "T(3, 2, 8)"},
           {"torch.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 2",
            "T(2, 3, 8), src_key_padding_mask=T(2, 3, dtype='bool', high=1)"}});
  r.addModule("torch.nn.TransformerDecoder",
              "TransformerDecoder(Any decoder_layer=None, int num_layers=1, Any norm=None)",
              "forward(Tensor tgt, Tensor memory, Tensor? tgt_mask=None, "
              "Tensor? memory_mask=None, Tensor? tgt_key_padding_mask=None, "
              "Tensor? memory_key_padding_mask=None)",
              decoder)
      .withSamples({{"torch.nn.TransformerDecoderLayer(8, 2, 16, norm_first=True), 2, "
                     "torch.nn.LayerNorm(8)",
                     "T(3, 2, 8), T(4, 2, 8), tgt_mask=T(3, 3)"}});
  r.addModule("torch.nn.Transformer",
              "Transformer(int d_model=512, int nhead=8, int num_encoder_layers=6, "
              "int num_decoder_layers=6, int dim_feedforward=2048, float dropout=0.1, "
              "Any activation=\"relu\", Any custom_encoder=None, Any custom_decoder=None, "
              "float layer_norm_eps=1e-05, bool batch_first=False, bool norm_first=False)",
              "forward(Tensor src, Tensor tgt, Tensor? src_mask=None, Tensor? tgt_mask=None, "
              "Tensor? memory_mask=None, Tensor? src_key_padding_mask=None, "
              "Tensor? tgt_key_padding_mask=None, Tensor? memory_key_padding_mask=None)",
              transformer)
      .withSamples({{"8, 2, 1, 1, 16", "T(4, 2, 8), T(3, 2, 8), tgt_mask=T(3, 3)"},
                    {"8, 2, 2, 1, 16, activation='gelu', batch_first=True",
                     "T(2, 4, 8), T(2, 3, 8)"}});
}

} // namespace

void registerSequenceModules(Registry &r) {
  addTransformerModules(r);
  addRecurrentModules(r);
}

} // namespace fxmlir
