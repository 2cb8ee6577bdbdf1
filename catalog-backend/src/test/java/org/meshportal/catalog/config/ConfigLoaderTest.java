package org.meshportal.catalog.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader(Map.of("PORT", "7100", "TOKEN", "s3cr3t-token")::get);

  @Test
  void later_files_win_and_objects_merge_key_by_key() {
    AppConfig config = loader.load(List.of(
        new ConfigLoader.Source("base.yaml", "backend:\n  listen:\n    port: 7007\n    host: 127.0.0.1\n  baseUrl: http://a\n"),
        new ConfigLoader.Source("local.yaml", "backend:\n  listen:\n    port: 8000\n")));
    assertEquals(8000, config.integer("backend.listen.port", 0));
    assertEquals("127.0.0.1", config.string("backend.listen.host", null));
    assertEquals("http://a", config.string("backend.baseUrl", null));
  }

  @Test
  void environment_variables_are_substituted_and_unset_ones_drop_the_key() {
    AppConfig config = loader.load(List.of(new ConfigLoader.Source("a.yaml",
        "backend:\n  listen:\n    port: ${PORT}\n  baseUrl: ${UNSET_VARIABLE}\n  dataDir: $${PORT}\n")));
    assertEquals(7100, config.integer("backend.listen.port", 0));
    assertTrue(config.string("backend.baseUrl").isEmpty());
    assertEquals("${PORT}", config.string("backend.dataDir", null));
  }

  @Test
  void unknown_key_names_the_key_and_the_file() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(List.of(
        new ConfigLoader.Source("base.yaml", "backend:\n  baseUrl: http://a\n"),
        new ConfigLoader.Source("typo.yaml", "backend:\n  lisen:\n    port: 1\n"))));
    assertTrue(e.getMessage().contains("'backend.lisen'"), e.getMessage());
    assertTrue(e.getMessage().contains("typo.yaml"), e.getMessage());
  }

  @Test
  void ill_typed_value_names_the_key_the_file_and_the_expectation() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(List.of(
        new ConfigLoader.Source("ports.yaml", "backend:\n  listen:\n    port: seventy\n"))));
    assertTrue(e.getMessage().contains("'backend.listen.port'"), e.getMessage());
    assertTrue(e.getMessage().contains("ports.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("integer"), e.getMessage());
  }

  @Test
  void lists_are_typed_item_by_item() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(List.of(
        new ConfigLoader.Source("c.yaml", "catalog:\n  locations:\n    - type: file\n      target: a.yaml\n    - typ: file\n"))));
    assertTrue(e.getMessage().contains("catalog.locations[1].typ"), e.getMessage());
  }

  @Test
  void secrets_from_the_environment_do_not_appear_in_type_errors_of_other_keys() {
    AppConfig config = loader.load(List.of(new ConfigLoader.Source("a.yaml",
        "backend:\n  auth:\n    externalAccess:\n      - type: static\n        options:\n          token: ${TOKEN}\n          subject: ci\n")));
    assertEquals("s3cr3t-token", config.at("backend.auth.externalAccess").get(0).path("options").path("token").asText());
    assertFalse(config.bool("backend.auth.dangerouslyDisableDefaultAuthPolicy", false));
  }

  @Test
  void duplicate_keys_and_invalid_yaml_are_reported_with_the_file() {
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(List.of(
        new ConfigLoader.Source("dup.yaml", "backend:\n  baseUrl: a\n  baseUrl: b\n"))));
    assertTrue(e.getMessage().contains("dup.yaml"), e.getMessage());
  }

  @Test
  void keys_the_server_would_ignore_are_refused_at_start() {
    // each of these was once accepted and did nothing; an operator setting one must learn so at start
    Map<String, String> ignored = new java.util.LinkedHashMap<>();
    ignored.put("app.title", "app:\n  title: Portal\n");
    ignored.put("organization", "organization:\n  name: ACME\n");
    // only github and gitlab entries use apiBaseUrl (the forge publishers)
    ignored.put("integrations.gitea[0].apiBaseUrl", "integrations:\n  gitea:\n    - host: gitea.example\n      apiBaseUrl: https://gitea.example/api/v1\n");
    ignored.put("integrations.gitlab[0].baseUrl", "integrations:\n  gitlab:\n    - host: gitlab.com\n      baseUrl: https://gitlab.com\n");
    ignored.put("catalog.locations[0].rules", "catalog:\n  locations:\n    - type: file\n      target: a.yaml\n      rules:\n        - allow: [User]\n");
    ignored.put("catalog.providers.git.a.schedule.timeout",
        "catalog:\n  providers:\n    git:\n      a:\n        url: file:///r\n        schedule:\n          timeout: { minutes: 1 }\n");
    ignored.put("catalog.providers.git.a.schedule.initialDelay",
        "catalog:\n  providers:\n    git:\n      a:\n        url: file:///r\n        schedule:\n          initialDelay: { seconds: 1 }\n");
    ignored.put("scaffolder.defaultAuthor", "scaffolder:\n  defaultAuthor:\n    name: bot\n");
    ignored.put("scaffolder.defaultCommitMessage", "scaffolder:\n  defaultCommitMessage: init\n");
    ignored.forEach((key, yaml) -> {
      ConfigException e = assertThrows(ConfigException.class,
          () -> loader.load(List.of(new ConfigLoader.Source("app-config.yaml", yaml))), key);
      assertTrue(e.getMessage().contains("unknown config key '" + key + "'"), e.getMessage());
    });
  }
}
