package org.meshportal.catalog.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads or creates the ES256 key pair that signs user tokens. */
final class SigningKeys {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
  static final String KEY_FILE = "user-token-signing-key.jwk.json";
  static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private SigningKeys() {}

  /** The key stored in {@code directory}, created there on first use; a fresh one when null. */
  static ECKey loadOrCreate(Path directory) {
    if (directory == null) {
      return generate();
    }
    Path file = directory.resolve(KEY_FILE);
    try {
      if (Files.exists(file)) {
        tightenLoaded(file);
        return read(file);
      }
      createOwnerOnlyDirectories(directory);
      ECKey key = generate();
      // Created owner-only, filled, then moved into place: the private key is never readable by
      // others, not even for an instant, and a crash never leaves a half-written key file.
      Path tmp = posix(directory)
          ? Files.createTempFile(directory, KEY_FILE, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
          : Files.createTempFile(directory, KEY_FILE, ".tmp");
      Files.writeString(tmp, key.toJSONString(), StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException raced) {
        Files.deleteIfExists(tmp);
        return read(file);
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the auth signing key in " + directory, e);
    }
  }

  private static ECKey read(Path file) throws IOException {
    try {
      ECKey key = ECKey.parse(Files.readString(file, StandardCharsets.UTF_8));
      if (!key.isPrivate()) {
        throw new IllegalStateException("auth signing key file " + file.getFileName() + " has no private key");
      }
      return key;
    } catch (ParseException e) {
      throw new IllegalStateException("auth signing key file " + file.getFileName() + " is not a valid EC JWK", e);
    }
  }

  /**
   * A key file copied in or restored from a backup may be readable by others: it is made
   * owner-only. Where that is impossible (a read-only mount the operator chose) it is said loudly.
   */
  private static void tightenLoaded(Path file) throws IOException {
    if (!posix(file) || OWNER_ONLY_FILE.containsAll(Files.getPosixFilePermissions(file))) {
      return;
    }
    try {
      Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
      LOG.warn("auth signing key file {} was readable by others; it is now owner-only (rw-------)", file.getFileName());
    } catch (IOException e) {
      LOG.warn("auth signing key file {} is readable by others and cannot be made owner-only: {}",
          file.getFileName(), e.toString());
    }
  }

  /** The key's folder (e.g. {@code dataDir/auth}) is created {@code rwx------} where it does not exist yet. */
  private static void createOwnerOnlyDirectories(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    Path parent = directory.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (posix(parent == null ? directory : parent)) {
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
    } else {
      Files.createDirectories(directory);
    }
  }

  private static boolean posix(Path path) throws IOException {
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing != null && Files.getFileStore(existing).supportsFileAttributeView(PosixFileAttributeView.class);
  }

  /** A fresh ES256 key pair with a random {@code kid}. */
  static ECKey generate() {
    try {
      return new ECKeyGenerator(Curve.P_256)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .keyID(UUID.randomUUID().toString())
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate an ES256 key pair", e);
    }
  }
}
