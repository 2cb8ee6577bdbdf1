package org.meshportal.gitsync;

import java.util.Objects;
import java.util.Optional;

/**
 * How to authenticate against a remote. Secrets never appear in {@link #toString()}, so a
 * credential can be logged or put in an exception message without leaking.
 */
public sealed interface GitCredentials {

  /** Anonymous access (public repositories, file:// remotes). */
  GitCredentials NONE = new Anonymous();

  /** A token sent as Basic-auth password with the user name GitHub and GitLab accept. */
  static GitCredentials token(String token) {
    return new Token(token, Token.DEFAULT_USERNAME);
  }

  /** A token with the user name a host needs (Bitbucket: {@code x-token-auth}). */
  static GitCredentials token(String token, String username) {
    return new Token(token, username);
  }

  static GitCredentials password(String username, String password) {
    return new UsernamePassword(username, password);
  }

  static GitCredentials sshKey(String privateKey, String knownHosts, String passphrase) {
    return new SshKey(privateKey, knownHosts, passphrase);
  }

  /** The literal secret values, so messages from remotes can be scrubbed of them. */
  default java.util.List<String> secrets() {
    return java.util.List.of();
  }

  record Anonymous() implements GitCredentials {}

  /** A personal/app access token, sent over HTTP as the password of Basic auth. */
  record Token(String token, String username) implements GitCredentials {
    public static final String DEFAULT_USERNAME = "x-access-token";

    public Token {
      requireText(token, "token");
      username = username == null || username.isBlank() ? DEFAULT_USERNAME : username;
    }

    @Override
    public java.util.List<String> secrets() {
      return java.util.List.of(token);
    }

    @Override
    public String toString() {
      return "Token[username=" + username + ", token=***]";
    }
  }

  record UsernamePassword(String username, String password) implements GitCredentials {
    public UsernamePassword {
      requireText(username, "username");
      Objects.requireNonNull(password, "password must be given with username");
    }

    @Override
    public java.util.List<String> secrets() {
      return password.isEmpty() ? java.util.List.of() : java.util.List.of(password);
    }

    @Override
    public String toString() {
      return "UsernamePassword[username=" + username + ", password=***]";
    }
  }

  /**
   * An SSH private key (OpenSSH or PEM text) and the known_hosts lines the server's host key must
   * match; host keys are always checked, never accepted blindly.
   */
  record SshKey(String privateKey, String knownHosts, String passphrase) implements GitCredentials {
    public SshKey {
      requireText(privateKey, "sshPrivateKey");
      requireText(knownHosts, "knownHosts");
    }

    public Optional<String> passphraseIfAny() {
      return Optional.ofNullable(passphrase).filter(p -> !p.isEmpty());
    }

    @Override
    public java.util.List<String> secrets() {
      return passphraseIfAny().map(p -> java.util.List.of(privateKey, p))
          .orElse(java.util.List.of(privateKey));
    }

    @Override
    public String toString() {
      return "SshKey[privateKey=***, knownHosts=" + knownHosts.lines().count() + " line(s)]";
    }
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
  }
}
