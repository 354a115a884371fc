//===- PyValue.cpp - Python values ----------------------------------------===//
#include "fxmlir/Runtime/PyValue.h"

#include <cmath>
#include <sstream>

namespace fxmlir {

PyValue PyValue::dict(std::vector<PyValue> keys, std::vector<PyValue> values) {
  PyValue v = seq(Kind::Dict, std::move(values));
  v.keys_ = std::move(keys);
  return v;
}

const char *PyValue::kindName() const {
  switch (kind_) {
  case Kind::None: return "NoneType";
  case Kind::Bool: return "bool";
  case Kind::Int: return "int";
  case Kind::Float: return "float";
  case Kind::Str: return "str";
  case Kind::Tensor: return "Tensor";
  case Kind::Tuple: return "tuple";
  case Kind::List: return "list";
  case Kind::Dict: return "dict";
  case Kind::DType: return "torch.dtype";
  case Kind::Device: return "torch.device";
  case Kind::Slice: return "slice";
  case Kind::Ellipsis: return "ellipsis";
  case Kind::Object: return "object";
  }
  return "?";
}

static OpError expected(const PyValue &v, const char *what) {
  return OpError(std::string("expected ") + what + ", got " + v.kindName() + " " +
                 v.describe());
}

const Tensor &PyValue::tensor() const {
  if (kind_ != Kind::Tensor)
    throw expected(*this, "a Tensor");
  return tensor_;
}

int64_t PyValue::toInt() const {
  if (kind_ == Kind::Int || kind_ == Kind::Bool)
    return i_;
  if (kind_ == Kind::Tensor && tensor_.numel() == 1 && !isFloating(tensor_.dtype()))
    return (int64_t)tensor_[0];
  throw expected(*this, "an int");
}

double PyValue::toDouble() const {
  if (kind_ == Kind::Int || kind_ == Kind::Bool)
    return (double)i_;
  if (kind_ == Kind::Float)
    return f_;
  if (kind_ == Kind::Tensor && tensor_.numel() == 1)
    return (double)tensor_[0];
  throw expected(*this, "a number");
}

Element PyValue::toElement() const {
  if (kind_ == Kind::Int || kind_ == Kind::Bool)
    return i_;
  if (kind_ == Kind::Tensor && tensor_.numel() == 1)
    return tensor_[0];
  return toDouble();
}

bool PyValue::toBool() const {
  if (kind_ == Kind::Bool || kind_ == Kind::Int)
    return i_ != 0;
  throw expected(*this, "a bool");
}

const std::string &PyValue::toStr() const {
  if (kind_ != Kind::Str && kind_ != Kind::Device && kind_ != Kind::DType && kind_ != Kind::Object)
    throw expected(*this, "a str");
  return s_;
}

DType PyValue::toDType() const {
  DType d;
  if (kind_ != Kind::DType || !parseDType(s_, d))
    throw expected(*this, "a torch.dtype");
  return d;
}

const std::vector<PyValue> &PyValue::items() const {
  if (kind_ != Kind::Tuple && kind_ != Kind::List && kind_ != Kind::Slice && kind_ != Kind::Dict)
    throw expected(*this, "a tuple or list");
  return items_;
}

const std::vector<PyValue> &PyValue::keys() const {
  if (kind_ != Kind::Dict)
    throw expected(*this, "a dict");
  return keys_;
}

std::vector<int64_t> PyValue::toIntList(size_t broadcastTo) const {
  if (kind_ == Kind::Int || kind_ == Kind::Bool)
    return std::vector<int64_t>(broadcastTo ? broadcastTo : 1, i_);
  std::vector<int64_t> out;
  for (const PyValue &v : items())
    out.push_back(v.toInt());
  if (broadcastTo && out.size() == 1)
    out.resize(broadcastTo, out[0]);
  return out;
}

std::string PyValue::describe() const {
  std::ostringstream os;
  switch (kind_) {
  case Kind::None: os << "None"; break;
  case Kind::Bool: os << (i_ ? "True" : "False"); break;
  case Kind::Int: os << i_; break;
  case Kind::Float: os << f_; break;
  case Kind::Str: os << '\'' << s_ << '\''; break;
  case Kind::DType: os << "torch." << s_; break;
  case Kind::Device: os << "device('" << s_ << "')"; break;
  case Kind::Object: os << s_; break;
  case Kind::Ellipsis: os << "Ellipsis"; break;
  case Kind::Tensor:
    os << "tensor(shape=" << shapeToString(tensor_.shape()) << ", dtype=" << dtypeName(tensor_.dtype())
       << ")";
    break;
  case Kind::Tuple: case Kind::List: case Kind::Slice: case Kind::Dict: {
    os << (kind_ == Kind::List ? "[" : kind_ == Kind::Slice ? "slice(" : kind_ == Kind::Dict ? "{" : "(");
    for (size_t i = 0; i < items_.size(); ++i) {
      if (i)
        os << ", ";
      if (kind_ == Kind::Dict)
        os << keys_[i].describe() << ": ";
      os << items_[i].describe();
    }
    os << (kind_ == Kind::List ? "]" : kind_ == Kind::Dict ? "}" : ")");
    break;
  }
  }
  return os.str();
}

std::vector<Tensor> flattenTensors(const PyValue &v) {
  std::vector<Tensor> out;
  switch (v.kind()) {
  case PyValue::Kind::Tensor:
    out.push_back(v.tensor());
    break;
  case PyValue::Kind::Tuple: case PyValue::Kind::List: case PyValue::Kind::Dict:
    for (const PyValue &item : v.items())
      for (Tensor &t : flattenTensors(item))
        out.push_back(std::move(t));
    break;
  case PyValue::Kind::Int: case PyValue::Kind::Bool:
    out.push_back(Tensor({}, v.kind() == PyValue::Kind::Bool ? DType::Bool : DType::I64, v.toDouble()));
    break;
  case PyValue::Kind::Float:
    out.push_back(Tensor({}, DType::F64, v.toDouble()));
    break;
  default:
    break;
  }
  return out;
}


} // namespace fxmlir
