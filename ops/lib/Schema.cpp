//===- Schema.cpp - torch-style signatures and argument binding -----------===//
#include "fxmlir/Ops/Schema.h"

#include <cctype>
#include <cstdlib>
#include <sstream>

namespace fxmlir {

static std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

/// Splits on commas that are not inside brackets.
static std::vector<std::string> splitTopLevel(const std::string &s) {
  std::vector<std::string> parts;
  int depth = 0;
  std::string cur;
  for (char c : s) {
    if (c == '[' || c == '(')
      ++depth;
    if (c == ']' || c == ')')
      --depth;
    if (c == ',' && depth == 0) {
      parts.push_back(trim(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!trim(cur).empty())
    parts.push_back(trim(cur));
  return parts;
}

static PyValue parseDefault(const std::string &text) {
  std::string t = trim(text);
  if (t == "None")
    return PyValue::none();
  if (t == "True" || t == "False")
    return PyValue::boolean(t == "True");
  if (t.size() >= 2 && (t.front() == '"' || t.front() == '\''))
    return PyValue::str(t.substr(1, t.size() - 2));
  if (t.front() == '[' || t.front() == '(') {
    std::vector<PyValue> items;
    for (const std::string &e : splitTopLevel(t.substr(1, t.size() - 2)))
      items.push_back(parseDefault(e));
    return PyValue::list(std::move(items));
  }
  if (t.rfind("torch.", 0) == 0) {
    DType d;
    if (parseDType(t.substr(6), d))
      return PyValue::dtype(d);
    return PyValue::object(t);
  }
  char *end = nullptr;
  long long i = std::strtoll(t.c_str(), &end, 10);
  if (*end == '\0')
    return PyValue::integer(i);
  double f = std::strtod(t.c_str(), &end);
  if (*end == '\0')
    return PyValue::floating(f);
  throw OpError("bad default '" + t + "' in a schema");
}

Schema Schema::parse(const std::string &text) {
  Schema s;
  size_t open = text.find('('), close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos)
    throw OpError("malformed schema: " + text);
  s.name = trim(text.substr(0, open));
  size_t arrow = text.find("->", close);
  s.returns = arrow == std::string::npos ? "" : trim(text.substr(arrow + 2));
  bool kwargOnly = false;
  for (const std::string &p : splitTopLevel(text.substr(open + 1, close - open - 1))) {
    if (p == "*") {
      kwargOnly = true;
      continue;
    }
    Param param;
    param.kwargOnly = kwargOnly;
    std::string decl = p;
    size_t eq = p.find('=');
    if (eq != std::string::npos) {
      param.hasDefault = true;
      param.defaultValue = parseDefault(p.substr(eq + 1));
      decl = trim(p.substr(0, eq));
    }
    if (!decl.empty() && decl[0] == '*') {
      param.variadic = true;
      decl = decl.substr(1);
    }
    size_t space = decl.rfind(' ');
    if (space == std::string::npos)
      throw OpError("malformed parameter '" + p + "' in schema " + text);
    param.type = trim(decl.substr(0, space));
    param.name = trim(decl.substr(space + 1));
    s.params.push_back(std::move(param));
  }
  return s;
}

int Schema::find(const std::string &name) const {
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i].name == name)
      return (int)i;
  return -1;
}

std::string Schema::str() const {
  std::ostringstream os;
  os << name << "(";
  for (size_t i = 0; i < params.size(); ++i)
    os << (i ? ", " : "") << (params[i].variadic ? "*" : "") << params[i].type << " "
       << params[i].name;
  os << ")";
  return os.str();
}

const PyValue &BoundArgs::operator[](const std::string &name) const {
  int i = schema->find(name);
  if (i < 0)
    throw OpError("internal: " + schema->name + " has no parameter '" + name + "'");
  return values[i];
}

std::vector<Slot> bindSlots(const Schema &schema, size_t numArgs,
                            const std::vector<std::string> &kwargNames,
                            const std::function<bool(size_t)> &isSequence) {
  std::vector<Slot> slots(schema.params.size());
  std::vector<bool> set(schema.params.size(), false);
  size_t next = 0;
  for (size_t a = 0; a < numArgs; ++a) {
    while (next < schema.params.size() && schema.params[next].kwargOnly)
      ++next;
    if (next >= schema.params.size()) {
      size_t positional = 0;
      for (const Param &p : schema.params)
        positional += !p.kwargOnly;
      throw OpError(schema.name + "() takes " + std::to_string(positional) +
                    " positional arguments but " + std::to_string(numArgs) + " were given");
    }
    const Param &p = schema.params[next];
    Slot &slot = slots[next];
    set[next] = true;
    if (p.variadic) {
      // x.view(2, 3) and x.view((2, 3)) mean the same.
      slot.kind = Slot::Kind::Variadic;
      slot.begin = a;
      slot.end = numArgs;
      slot.whole = numArgs - a == 1 && isSequence(a);
      break;
    }
    slot.kind = Slot::Kind::Positional;
    slot.index = a;
    ++next;
  }
  for (size_t k = 0; k < kwargNames.size(); ++k) {
    int i = schema.find(kwargNames[k]);
    if (i < 0)
      throw OpError(schema.name + "() got an unexpected keyword argument '" + kwargNames[k] + "'");
    if (set[i])
      throw OpError(schema.name + "() got multiple values for argument '" + kwargNames[k] + "'");
    slots[i].kind = Slot::Kind::Keyword;
    slots[i].index = k;
    set[i] = true;
  }
  for (size_t i = 0; i < slots.size(); ++i) {
    const Param &p = schema.params[i];
    if (set[i])
      continue;
    if (p.variadic) {
      slots[i].kind = Slot::Kind::Variadic; // empty
    } else if (!p.hasDefault) {
      throw OpError(schema.name + "() missing required argument '" + p.name + "'");
    }
  }
  return slots;
}

BoundArgs bindArguments(const Schema &schema, const std::vector<PyValue> &args,
                        const std::vector<std::pair<std::string, PyValue>> &kwargs) {
  auto isSequence = [&](size_t i) { return args[i].isSequence(); };
  auto asIs = [](const PyValue &v) { return v; };
  auto asTuple = [](std::vector<PyValue> items) { return PyValue::tuple(std::move(items)); };
  return BoundArgs(schema, bindValues(schema, args, kwargs, isSequence, asIs, asTuple));
}

} // namespace fxmlir
