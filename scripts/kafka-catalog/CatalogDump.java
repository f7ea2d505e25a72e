// Prints the topic-config catalog of one or more Kafka versions as JSON, read from Kafka's own
// ConfigDef (LogConfig.configKeys()) and ServerTopicConfigSynonyms.ALL_TOPIC_CONFIG_SYNONYMS.
//
// Run as a single-file program (no build step):
//   java CatalogDump.java VERSION=JAR:JAR:... [VERSION=JAR:...]
// Each version is loaded in a class loader of its own, so one JVM reads every version; everything
// goes through reflection because the classes differ per loader (and a little per version).
// Output: one JSON object, { "<version>": { "configs": [...] }, ... }, keys and configs sorted.

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

public class CatalogDump {
  public static void main(String[] args) throws Exception {
    StringBuilder out = new StringBuilder("{");
    boolean first = true;
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String version = arg.substring(0, eq);
      List<URL> urls = new ArrayList<>();
      for (String jar : arg.substring(eq + 1).split(File.pathSeparator)) urls.add(new File(jar).toURI().toURL());
      try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
        if (!first) out.append(',');
        first = false;
        out.append(quote(version)).append(":{\"configs\":").append(dump(loader)).append('}');
      }
    }
    System.out.println(out.append('}'));
  }

  static String dump(ClassLoader loader) throws Exception {
    Class<?> logConfig = loader.loadClass("org.apache.kafka.storage.internals.log.LogConfig");
    Class<?> configDef = loader.loadClass("org.apache.kafka.common.config.ConfigDef");
    @SuppressWarnings("unchecked")
    Map<String, Object> keys = (Map<String, Object>) logConfig.getMethod("configKeys").invoke(null);
    Class<?> synonymsClass = loader.loadClass("org.apache.kafka.server.config.ServerTopicConfigSynonyms");
    @SuppressWarnings("unchecked")
    Map<String, List<Object>> synonyms = (Map<String, List<Object>>) synonymsClass.getField("ALL_TOPIC_CONFIG_SYNONYMS").get(null);
    Class<?> synonymClass = loader.loadClass("org.apache.kafka.server.config.ConfigSynonym");
    Object hours = synonymClass.getField("HOURS_TO_MILLISECONDS").get(null);
    Object minutes = synonymClass.getField("MINUTES_TO_MILLISECONDS").get(null);
    Method convertToString = configDef.getMethod("convertToString", Object.class, loader.loadClass("org.apache.kafka.common.config.ConfigDef$Type"));

    StringBuilder sb = new StringBuilder("[");
    boolean first = true;
    for (Map.Entry<String, Object> e : new TreeMap<>(keys).entrySet()) {
      Object key = e.getValue();
      Object type = field(key, "type");
      Object def = field(key, "defaultValue");
      String defaultText = def == null || isNoDefault(configDef, def) ? null : (String) convertToString.invoke(null, def, type);
      if (!first) sb.append(',');
      first = false;
      sb.append("{\"name\":").append(quote(e.getKey()))
        .append(",\"type\":").append(quote(type.toString().toLowerCase()))
        .append(",\"default\":").append(defaultText == null ? "null" : quote(defaultText));
      if (Boolean.TRUE.equals(field(key, "internalConfig"))) sb.append(",\"internal\":true");
      Object validator = field(key, "validator");
      if (validator != null) sb.append(",\"validator\":").append(validator(validator, type.toString()));
      String doc = (String) field(key, "documentation");
      sb.append(",\"doc\":").append(quote(firstSentence(doc == null ? "" : doc)));
      List<Object> syn = synonyms.get(e.getKey());
      if (syn != null) {
        sb.append(",\"synonyms\":[");
        for (int i = 0; i < syn.size(); i++) {
          Object s = syn.get(i);
          Object converter = field(s, "converter");
          if (i > 0) sb.append(',');
          sb.append("{\"name\":").append(quote((String) field(s, "name")));
          if (converter == hours) sb.append(",\"unit\":\"hours\"");
          else if (converter == minutes) sb.append(",\"unit\":\"minutes\"");
          sb.append('}');
        }
        sb.append(']');
      }
      sb.append('}');
    }
    return sb.append(']').toString();
  }

  static boolean isNoDefault(Class<?> configDef, Object value) throws Exception {
    return value == configDef.getField("NO_DEFAULT_VALUE").get(null);
  }

  /** A validator as data: ranges and enums structured, anything else by class and text. */
  static String validator(Object v, String type) throws Exception {
    String name = v.getClass().getName();
    switch (name) {
      case "org.apache.kafka.common.config.ConfigDef$Range":
        return "{\"kind\":\"range\",\"min\":" + number(field(v, "min")) + ",\"max\":" + number(field(v, "max")) + "}";
      case "org.apache.kafka.common.config.ConfigDef$ValidString":
        return "{\"kind\":\"enum\",\"values\":" + strings((Collection<?>) field(v, "validStrings")) + "}";
      case "org.apache.kafka.common.config.ConfigDef$CaseInsensitiveValidString":
        return "{\"kind\":\"enum\",\"caseInsensitive\":true,\"values\":" + strings((Collection<?>) field(v, "validStrings")) + "}";
      case "org.apache.kafka.common.config.ConfigDef$ValidList": {
        Object valid = field(v, "validString");
        StringBuilder sb = new StringBuilder("{\"kind\":\"list\",\"values\":" + strings((Collection<?>) field(valid, "validStrings")));
        Field empty = findField(v.getClass(), "isEmptyAllowed");
        if (empty != null) sb.append(",\"emptyAllowed\":").append(empty.get(v));
        return sb.append('}').toString();
      }
      case "org.apache.kafka.common.config.ConfigDef$CompositeValidator": {
        StringBuilder sb = new StringBuilder("{\"kind\":\"all\",\"of\":[");
        List<?> parts = (List<?>) field(v, "validators");
        for (int i = 0; i < parts.size(); i++) sb.append(i > 0 ? "," : "").append(validator(parts.get(i), type));
        return sb.append("]}").toString();
      }
      case "org.apache.kafka.storage.internals.log.ThrottledReplicaListValidator":
        return "{\"kind\":\"throttledReplicas\"}";
      case "org.apache.kafka.server.common.MetadataVersionValidator": {
        String text = String.valueOf(v);
        List<String> versions = List.of(text.substring(1, text.length() - 1).split(",\\s*"));
        return "{\"kind\":\"metadataVersion\",\"values\":" + strings(versions) + "}";
      }
      default:
        if (type.equals("INT")) return probedRange(v, String.valueOf(v));
        return "{\"kind\":\"other\",\"class\":" + quote(name) + ",\"text\":" + quote(String.valueOf(v)) + "}";
    }
  }

  /**
   * An int validator whose class says nothing (a lambda, such as gzip's level check): asks it
   * about every value in a window around zero and at the int limits, and describes what it
   * accepted as one range plus single values outside it.
   */
  static String probedRange(Object v, String text) throws Exception {
    Method ensureValid = v.getClass().getMethod("ensureValid", String.class, Object.class);
    ensureValid.setAccessible(true);
    final int window = 1 << 12;
    List<int[]> runs = new ArrayList<>();
    int[] run = null;
    for (long n = -window; n <= window; n++) {
      boolean ok = accepts(ensureValid, v, (int) n);
      if (ok && run == null) run = new int[] {(int) n, (int) n};
      else if (ok) run[1] = (int) n;
      else if (run != null) {
        runs.add(run);
        run = null;
      }
    }
    if (run != null) runs.add(run);
    int[] widest = null;
    for (int[] r : runs) if (widest == null || r[1] - r[0] > widest[1] - widest[0]) widest = r;
    if (widest == null) throw new IllegalStateException("validator accepts nothing near zero: " + text);
    String min = widest[0] == -window && accepts(ensureValid, v, Integer.MIN_VALUE) ? null : Integer.toString(widest[0]);
    String max = widest[1] == window && accepts(ensureValid, v, Integer.MAX_VALUE) ? null : Integer.toString(widest[1]);
    List<String> also = new ArrayList<>();
    for (int[] r : runs) {
      if (r == widest) continue;
      if (r[0] != r[1]) throw new IllegalStateException("validator accepts several ranges: " + text);
      also.add(Integer.toString(r[0]));
    }
    return "{\"kind\":\"range\",\"min\":" + (min == null ? "null" : quote(min)) + ",\"max\":" + (max == null ? "null" : quote(max))
        + (also.isEmpty() ? "" : ",\"also\":" + strings(also)) + ",\"text\":" + quote(text) + "}";
  }

  static boolean accepts(Method ensureValid, Object v, int n) throws Exception {
    try {
      ensureValid.invoke(v, "probe", n);
      return true;
    } catch (java.lang.reflect.InvocationTargetException e) {
      return false;
    }
  }

  static String number(Object n) {
    return n == null ? "null" : quote(n.toString());
  }

  static String strings(Collection<?> values) {
    StringBuilder sb = new StringBuilder("[");
    int i = 0;
    for (Object s : values) sb.append(i++ > 0 ? "," : "").append(quote(String.valueOf(s)));
    return sb.append(']').toString();
  }

  static Field findField(Class<?> c, String name) {
    for (; c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    return null;
  }

  static Object field(Object o, String name) throws Exception {
    Field f = findField(o.getClass(), name);
    if (f == null) throw new NoSuchFieldException(o.getClass().getName() + "." + name);
    return f.get(o);
  }

  /** The documentation's first sentence, without HTML tags. */
  static String firstSentence(String doc) {
    String text = doc.replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").trim();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.(\\s|$)").matcher(text);
    return m.find() ? text.substring(0, m.start() + 1) : text;
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
