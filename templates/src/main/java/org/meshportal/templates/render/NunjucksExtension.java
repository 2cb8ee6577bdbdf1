package org.meshportal.templates.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshportal.model.EntityRef;

/** Backstage's scaffolder filters and globals, plus Nunjucks filters whose Pebble namesakes differ. */
final class NunjucksExtension extends AbstractExtension {

  static final String NATIVE_FILTER = "__nativeJson";
  /** Context key the engine sets to {@code true} once a step failed; read by {@code failure()}. */
  static final String FAILED_FLAG = "__taskFailed";
  static final List<String> OVERRIDDEN_CORE_FILTERS = List.of("replace");

  private final ObjectMapper json;
  private final Map<String, Filter> filters = new LinkedHashMap<>();
  private final Map<String, String> filterDocs = new LinkedHashMap<>();

  /**
   * @param cookiecutter Backstage's cookiecutter-compat environment also has {@code jsonify}, an
   *     alias of {@code dump} (SecureTemplater adds it to that environment only)
   */
  NunjucksExtension(ObjectMapper json, boolean cookiecutter) {
    this.json = json.copy().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    filter(NATIVE_FILTER, null, List.of(), (in, args) -> this.json.writeValueAsString(in));
    // Nunjucks' dump is JSON.stringify: a missing value gives undefined, which prints as nothing.
    FilterBody dump = (in, args) -> in == null ? ""
        : args.get("spaces") instanceof Number n && n.intValue() > 0
            ? this.json.writerWithDefaultPrettyPrinter().writeValueAsString(in)
            : this.json.writeValueAsString(in);
    filter("dump", "Serialises the value as JSON; optional indentation.", List.of("spaces"), dump);
    if (cookiecutter) {
      filter("jsonify", "Alias of dump (cookiecutter compatibility).", List.of("spaces"), dump);
    }
    filter("replace", "Replaces every occurrence of a substring.", List.of("old", "new", "maxCount"),
        (in, args) -> replace(in, args));
    filter("string", "Converts the value to a string.", List.of(), (in, args) -> in == null ? "" : String.valueOf(in));
    filter("int", "Converts the value to an integer (0 if not a number).", List.of("default"),
        (in, args) -> toInt(in, args.get("default")));
    filter("pick", "Returns the value at a property path of an object (lodash get).", List.of("path"),
        (in, args) -> pick(in, String.valueOf(args.get("path"))));
    filter("parseRepoUrl", "Parses a RepoUrlPicker value host?owner=o&repo=r into its parts.", List.of(),
        (in, args) -> parseRepoUrl(String.valueOf(in)));
    filter("projectSlug", "owner/repo of a RepoUrlPicker value.", List.of(), (in, args) -> {
      Map<String, Object> parts = parseRepoUrl(String.valueOf(in));
      return parts.get("owner") + "/" + parts.get("repo");
    });
    filter("parseEntityRef", "Parses an entity ref into kind, namespace and name.", List.of("context"),
        (in, args) -> parseEntityRef(in, args.get("context")));
  }

  @FunctionalInterface
  private interface FilterBody {
    Object apply(Object input, Map<String, Object> args) throws Exception;
  }

  private void filter(String name, String description, List<String> argNames, FilterBody body) {
    filters.put(name, new Filter() {
      @Override
      public List<String> getArgumentNames() {
        return argNames;
      }

      @Override
      public Object apply(Object input, Map<String, Object> args, PebbleTemplate self,
          EvaluationContext context, int lineNumber) {
        try {
          return body.apply(input, args);
        } catch (PebbleException e) {
          throw e;
        } catch (Exception e) {
          throw new PebbleException(e, "filter " + name + ": " + e.getMessage(), lineNumber, null);
        }
      }
    });
    if (description != null) {
      filterDocs.put(name, description);
    }
  }

  @Override
  public Map<String, Filter> getFilters() {
    return filters;
  }

  @Override
  public Map<String, Function> getFunctions() {
    return Map.of(
        "always", fn(context -> true),
        "failure", fn(context -> Boolean.TRUE.equals(context.getVariable(FAILED_FLAG))));
  }

  private static Function fn(java.util.function.Function<EvaluationContext, Object> body) {
    return new Function() {
      @Override
      public List<String> getArgumentNames() {
        return List.of();
      }

      @Override
      public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
          int lineNumber) {
        return body.apply(context);
      }
    };
  }

  @Override
  public List<io.pebbletemplates.pebble.operator.BinaryOperator> getBinaryOperators() {
    List<io.pebbletemplates.pebble.operator.BinaryOperator> operators = new java.util.ArrayList<>(JsConcatenation.operators());
    operators.addAll(InlineIf.operators());
    return operators;
  }

  ObjectNode describe() {
    ObjectNode out = json.createObjectNode();
    ObjectNode f = out.putObject("filters");
    filterDocs.forEach((name, doc) -> f.putObject(name).put("description", doc));
    for (String core : List.of("lower", "upper", "capitalize", "title", "trim", "default", "length",
        "join", "first", "last", "reverse", "sort", "split", "slice", "abs", "urlencode")) {
      f.putObject(core).put("description", "Nunjucks built-in filter " + core + ".");
    }
    ObjectNode globals = out.putObject("globals");
    ObjectNode fns = globals.putObject("functions");
    fns.putObject("always").put("description", "Makes a step run even after an earlier step failed.");
    fns.putObject("failure").put("description", "True once an earlier step failed.");
    globals.putObject("values");
    return out;
  }

  private static Object replace(Object in, Map<String, Object> args) {
    if (in == null) {
      return "";
    }
    String s = String.valueOf(in);
    String from = String.valueOf(args.get("old"));
    String to = args.get("new") == null ? "" : String.valueOf(args.get("new"));
    int max = args.get("maxCount") instanceof Number n ? n.intValue() : -1;
    if (from.isEmpty()) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    int start = 0;
    int count = 0;
    int idx;
    while ((max < 0 || count < max) && (idx = s.indexOf(from, start)) >= 0) {
      out.append(s, start, idx).append(to);
      start = idx + from.length();
      count++;
    }
    return out.append(s.substring(start)).toString();
  }

  private static Object toInt(Object in, Object dflt) {
    if (in instanceof Number n) {
      return n.longValue();
    }
    try {
      return new BigDecimal(String.valueOf(in).trim()).longValue();
    } catch (NumberFormatException e) {
      return dflt == null ? 0L : dflt;
    }
  }

  static Object pick(Object in, String path) {
    Object current = in;
    for (String part : path.replace("[", ".").replace("]", "").split("\\.")) {
      if (part.isEmpty()) {
        continue;
      }
      if (current instanceof Map<?, ?> map) {
        current = map.get(part);
      } else if (current instanceof List<?> list && part.chars().allMatch(Character::isDigit)) {
        int i = Integer.parseInt(part);
        current = i < list.size() ? list.get(i) : null;
      } else {
        return null;
      }
    }
    return current;
  }

  static Map<String, Object> parseRepoUrl(String repoUrl) {
    int q = repoUrl.indexOf('?');
    if (q <= 0) {
      throw new IllegalArgumentException("Invalid repo URL passed to publisher: " + repoUrl
          + ", expected host?owner=<owner>&repo=<repo>");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("host", repoUrl.substring(0, q));
    for (String pair : repoUrl.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
        if (List.of("owner", "repo", "organization", "workspace", "project").contains(key)) {
          out.put(key, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    if (!out.containsKey("repo")) {
      throw new IllegalArgumentException("Invalid repo URL passed to publisher: " + repoUrl + ", missing repo");
    }
    if (!out.containsKey("owner") && !out.containsKey("project") && !out.containsKey("workspace")) {
      throw new IllegalArgumentException("Invalid repo URL passed to publisher: " + repoUrl + ", missing owner");
    }
    return out;
  }

  private static Map<String, Object> parseEntityRef(Object in, Object ctx) {
    String defaultKind = null;
    String defaultNamespace = null;
    if (ctx instanceof Map<?, ?> m) {
      defaultKind = m.get("defaultKind") == null ? null : String.valueOf(m.get("defaultKind"));
      defaultNamespace = m.get("defaultNamespace") == null ? null : String.valueOf(m.get("defaultNamespace"));
    }
    EntityRef ref;
    if (in instanceof Map<?, ?> m) {
      Object name = m.get("name");
      if (name == null) {
        throw new IllegalArgumentException("Entity reference object must have a name");
      }
      Object kind = m.get("kind") != null ? m.get("kind") : defaultKind;
      if (kind == null) {
        throw new IllegalArgumentException("Entity reference object had no kind");
      }
      Object ns = m.get("namespace") != null ? m.get("namespace")
          : defaultNamespace != null ? defaultNamespace : EntityRef.DEFAULT_NAMESPACE;
      ref = new EntityRef(String.valueOf(kind), String.valueOf(ns), String.valueOf(name));
    } else {
      ref = EntityRef.parse(String.valueOf(in), defaultKind, defaultNamespace);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kind", ref.kind());
    out.put("namespace", ref.namespace());
    out.put("name", ref.name());
    return out;
  }

}
