package org.meshportal.gitsync.jgit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.meshportal.gitsync.GitCredentials;
import org.meshportal.gitsync.GitSyncException;
import org.meshportal.gitsync.GitSyncException.Reason;
import org.meshportal.gitsync.MirrorSpec;

/** Applies a mirror's credentials to JGit transport commands. */
final class RemoteAuth {

  private final CredentialsProvider credentials;
  private final SshdSessionFactory sshFactory;

  private RemoteAuth(CredentialsProvider credentials, SshdSessionFactory sshFactory) {
    this.credentials = credentials;
    this.sshFactory = sshFactory;
  }

  static RemoteAuth of(MirrorSpec spec, Path gitDir) {
    return switch (spec.credentials()) {
      case GitCredentials.Anonymous a -> new RemoteAuth(null, null);
      case GitCredentials.Token t ->
          new RemoteAuth(new UsernamePasswordCredentialsProvider(t.username(), t.token()), null);
      case GitCredentials.UsernamePassword up ->
          new RemoteAuth(new UsernamePasswordCredentialsProvider(up.username(), up.password()),
              null);
      case GitCredentials.SshKey key -> ssh(spec, key, gitDir);
    };
  }

  void configure(Transport transport) {
    if (credentials != null) {
      transport.setCredentialsProvider(credentials);
    }
    if (sshFactory != null && transport instanceof SshTransport ssh) {
      ssh.setSshSessionFactory(sshFactory);
    }
  }

  /** The same for a command: it hands its transport to {@link #configure(Transport)} when it opens one. */
  <C extends TransportCommand<C, ?>> C configure(C command) {
    return command.setTransportConfigCallback(this::configure);
  }

  /**
   * An SSH session factory that uses only the configured key and known_hosts, never the user's
   * ~/.ssh, and checks host keys strictly.
   */
  private static RemoteAuth ssh(MirrorSpec spec, GitCredentials.SshKey key, Path gitDir) {
    Path sshDir = gitDir.resolveSibling(gitDir.getFileName() + ".ssh");
    Path keyFile = sshDir.resolve("id_key");
    Path knownHosts = sshDir.resolve("known_hosts");
    try {
      Files.createDirectories(sshDir);
      writePrivate(keyFile, key.privateKey().strip() + "\n");
      writePrivate(knownHosts, key.knownHosts().strip() + "\n");
    } catch (IOException e) {
      throw new GitSyncException(Reason.IO, "cannot store ssh key of mirror " + spec.id(), e);
    }
    SshdSessionFactory factory = new SshdSessionFactoryBuilder()
        .setHomeDirectory(sshDir.toFile())
        .setSshDirectory(sshDir.toFile())
        .setDefaultIdentities(dir -> List.of(keyFile))
        .setDefaultKnownHostsFiles(dir -> List.of(knownHosts))
        .setPreferredAuthentications("publickey")
        .setConfigStoreFactory((home, config, user) -> null)
        .build(null);
    CredentialsProvider passphrase = key.passphraseIfAny()
        .map(p -> (CredentialsProvider) new UsernamePasswordCredentialsProvider("", p))
        .orElse(null);
    return new RemoteAuth(passphrase, factory);
  }

  private static void writePrivate(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    }
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
