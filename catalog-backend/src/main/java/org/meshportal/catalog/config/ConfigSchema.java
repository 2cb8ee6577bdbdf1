package org.meshportal.catalog.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of every configuration key the server understands. Unknown keys and values of the
 * wrong type stop start-up, so a typo never silently falls back to a default. Only keys the server
 * acts on belong here: an accepted key that does nothing makes an operator believe in a setting
 * that is not there.
 */
sealed interface ConfigSchema {

  /** An object with a fixed set of keys. */
  record Obj(Map<String, ConfigSchema> keys) implements ConfigSchema {}

  /** An object whose keys are free (ids), each value of one shape. */
  record MapOf(ConfigSchema value) implements ConfigSchema {}

  record ListOf(ConfigSchema item) implements ConfigSchema {}

  /** A string, or a list of strings. */
  record StringOrList() implements ConfigSchema {}

  /** Any JSON value; used where the content is validated by its consumer (e.g. template input). */
  record AnyValue() implements ConfigSchema {}

  enum Scalar implements ConfigSchema { STRING, INTEGER, NUMBER, BOOLEAN }

  static Obj obj(Object... keysAndSchemas) {
    Map<String, ConfigSchema> keys = new LinkedHashMap<>();
    for (int i = 0; i < keysAndSchemas.length; i += 2) {
      keys.put((String) keysAndSchemas[i], (ConfigSchema) keysAndSchemas[i + 1]);
    }
    return new Obj(keys);
  }

  ConfigSchema STR = Scalar.STRING;
  ConfigSchema INT = Scalar.INTEGER;
  ConfigSchema BOOL = Scalar.BOOLEAN;
  ConfigSchema NUM = Scalar.NUMBER;

  /** Shared by git providers and integrations: how to authenticate to a Git host. */
  ConfigSchema GIT_AUTH = obj(
      "token", STR, "username", STR, "password", STR,
      "sshPrivateKey", STR, "sshPassphrase", STR, "knownHosts", STR);

  ConfigSchema DURATION = obj(
      "milliseconds", INT, "seconds", INT, "minutes", INT, "hours", INT);

  ConfigSchema INTEGRATION = obj(
      "host", STR, "token", STR, "username", STR,
      "password", STR, "appPassword", STR, "webhookSecret", STR);

  /** GitHub and GitLab entries also name where their REST API is (used by publish:github / publish:gitlab). */
  ConfigSchema FORGE_INTEGRATION = obj(
      "host", STR, "apiBaseUrl", STR, "token", STR, "username", STR,
      "password", STR, "appPassword", STR, "webhookSecret", STR);

  /** Durations written as Backstage's HumanDuration object. */
  ConfigSchema LONG_DURATION = obj(
      "milliseconds", INT, "seconds", INT, "minutes", INT, "hours", INT, "days", INT);

  /**
   * {@code auth.providers.oidc.<environment>}. {@code scope} is accepted here only so that start-up
   * can refuse it with Backstage's own message (it was replaced by {@code additionalScopes}).
   */
  ConfigSchema OIDC_PROVIDER = obj(
      "metadataUrl", STR, "clientId", STR, "clientSecret", STR, "callbackUrl", STR,
      "tokenEndpointAuthMethod", STR, "tokenSignedResponseAlg", STR, "prompt", STR,
      "additionalScopes", new StringOrList(), "scope", new StringOrList(),
      "timeout", LONG_DURATION, "startUrlSearchParams", new MapOf(STR), "sessionDuration", LONG_DURATION,
      "signIn", obj("resolvers", new ListOf(obj(
          "resolver", STR, "allowedDomains", new ListOf(STR),
          "dangerouslyAllowSignInWithoutUserInCatalog", BOOL))));

  /** The root of the tree. */
  ConfigSchema ROOT = obj(
      "app", obj("baseUrl", STR, "distDir", STR),
      "backend", obj(
          "baseUrl", STR,
          "dataDir", STR,
          "database", obj("client", STR, "connection", new AnyValue()),
          "maxRequestBodyBytes", INT,
          "listen", obj("port", INT, "host", STR),
          "cors", obj(
              "origin", new StringOrList(), "methods", new StringOrList(),
              "allowedHeaders", new StringOrList(), "exposedHeaders", new StringOrList(),
              "credentials", BOOL, "maxAge", INT),
          "auth", obj(
              "dangerouslyDisableDefaultAuthPolicy", BOOL,
              "externalAccess", new ListOf(obj(
                  "type", STR,
                  // static: token, subject; jwks: url, issuer, algorithm, audience, subjectPrefix
                  "options", obj("token", STR, "subject", STR,
                      "url", STR, "issuer", new StringOrList(), "algorithm", new StringOrList(),
                      "audience", new StringOrList(), "subjectPrefix", STR),
                  "accessRestrictions", new ListOf(obj(
                      "plugin", STR, "permission", new StringOrList(),
                      "permissionAttribute", obj("action", new StringOrList())))))),
          "reading", obj(
              "allow", new ListOf(obj("host", STR, "paths", new StringOrList())),
              "directories", new StringOrList()),
          "writing", obj("directories", new StringOrList()),
          "auditor", obj("file", STR)),
      "auth", obj(
          "environment", STR,
          "experimentalExtraAllowedOrigins", new StringOrList(),
          "providers", obj(
              "guest", obj(
                  "userEntityRef", STR, "ownershipEntityRefs", new ListOf(STR),
                  "dangerouslyAllowOutsideDevelopment", BOOL),
              "oidc", new MapOf(OIDC_PROVIDER))),
      "permission", obj(
          "enabled", BOOL,
          "decisionCacheTtl", DURATION,
          "rbac", obj(
              "policies-csv-file", STR,
              "conditionalPoliciesFile", STR,
              "policyFileReload", BOOL,
              "maxDepth", INT,
              "policyDecisionPrecedence", STR,
              "admin", obj("users", new ListOf(obj("name", STR)), "superUsers", new ListOf(obj("name", STR))))),
      "integrations", obj(
          "github", new ListOf(FORGE_INTEGRATION), "gitlab", new ListOf(FORGE_INTEGRATION),
          "gitea", new ListOf(INTEGRATION), "bitbucketCloud", new ListOf(INTEGRATION),
          "bitbucketServer", new ListOf(INTEGRATION), "git", new ListOf(INTEGRATION)),
      "catalog", obj(
          "locations", new ListOf(obj("type", STR, "target", STR)),
          "rules", new ListOf(obj("allow", new ListOf(STR))),
          "orphanStrategy", STR,
          "maxFileSizeBytes", INT,
          "maxRefsPerRequest", INT,
          "readonly", BOOL,
          "processingInterval", DURATION,
          "leaderLeaseSeconds", INT,
          "followerPollSeconds", INT,
          "providers", obj("git", new MapOf(obj(
              "url", STR, "branch", STR, "catalogPath", new StringOrList(), "kcpRoot", STR,
              "kcpPathOverrides", new MapOf(STR),
              "namespace", STR,
              "schedule", obj("frequency", DURATION),
              "auth", GIT_AUTH,
              "webhookSecret", STR,
              "maxDeletionShare", NUM)))),
      "scaffolder", obj(
          "maxWaitSeconds", INT,
          "taskHeartbeatSeconds", INT,
          "taskTakeoverSeconds", INT,
          "mesh", obj("repoUrl", STR, "kcpRoot", STR, "baseBranch", STR, "branchPrefix", STR)),
      "search", obj("maxTermLength", INT, "maxPageLimit", INT));

  static List<String> names(Obj obj) {
    return List.copyOf(obj.keys().keySet());
  }
}
