package org.meshportal.catalog.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.meshportal.model.EntityRef;
import org.meshportal.model.errors.ConflictException;
import org.meshportal.model.errors.NotAllowedException;
import org.meshportal.model.errors.NotFoundException;

/**
 * Backstage's sign-in resolvers for the OIDC provider, tried in configured order: a resolver that
 * finds no user passes to the next, any other failure ends the sign-in. Thread-safe.
 */
public final class SignInResolver {
  public static final String EMAIL_MATCHING_PROFILE_EMAIL = "emailMatchingUserEntityProfileEmail";
  public static final String EMAIL_LOCAL_PART_MATCHING_NAME = "emailLocalPartMatchingUserEntityName";
  public static final String PREFERRED_USERNAME_MATCHING_NAME = "preferredUsernameMatchingUserEntityName";
  public static final List<String> NAMES =
      List.of(EMAIL_MATCHING_PROFILE_EMAIL, EMAIL_LOCAL_PART_MATCHING_NAME, PREFERRED_USERNAME_MATCHING_NAME);
  static final String UNRESOLVED = "Failed to sign-in, unable to resolve user identity. Please verify that your "
      + "catalog contains the expected User entities that would match your configured sign-in resolver.";

  private final List<OidcSettings.SignInResolverSettings> resolvers;
  private final CatalogUsers catalog;

  /**
   * @throws IllegalArgumentException {@code Sign-in resolver '<name>' is not available} for an unknown name
   */
  public SignInResolver(List<OidcSettings.SignInResolverSettings> resolvers, CatalogUsers catalog) {
    for (OidcSettings.SignInResolverSettings r : resolvers) {
      if (!NAMES.contains(r.resolver())) {
        throw new IllegalArgumentException("Sign-in resolver '" + r.resolver() + "' is not available");
      }
    }
    this.resolvers = List.copyOf(resolvers);
    this.catalog = catalog;
  }

  /** Whether any resolver is configured; without one no Backstage token is issued. */
  public boolean configured() {
    return !resolvers.isEmpty();
  }

  /** What the provider said about the user: the verified email (or null) and {@code preferred_username}. */
  public record Profile(String email, String preferredUsername) {}

  /** A resolved user: its ref and the refs it owns through (the {@code ent} claim). */
  public record Identity(String userEntityRef, List<String> ownershipEntityRefs) {}

  /**
   * @throws SignInException when no resolver found the user, or the profile lacks what a resolver needs
   * @throws NotAllowedException when the email's domain is not allowed
   * @throws ConflictException when several users match
   */
  public Identity resolve(Profile profile) {
    for (OidcSettings.SignInResolverSettings settings : resolvers) {
      try {
        return resolveWith(settings, profile);
      } catch (NotFoundException e) {
        // Backstage: not found moves on to the next resolver.
      }
    }
    throw new SignInException(UNRESOLVED);
  }

  private Identity resolveWith(OidcSettings.SignInResolverSettings settings, Profile profile) {
    return switch (settings.resolver()) {
      case EMAIL_LOCAL_PART_MATCHING_NAME -> {
        String email = requireEmail(profile);
        int at = email.indexOf('@');
        String localPart = at < 0 ? email : email.substring(0, at);
        String domain = at < 0 ? "" : email.substring(at + 1);
        if (settings.allowedDomains() != null
            && settings.allowedDomains().stream().noneMatch(d -> d.equalsIgnoreCase(domain))) {
          throw new NotAllowedException("Sign-in user email is not from an allowed domain");
        }
        yield byName(localPart, settings);
      }
      case EMAIL_MATCHING_PROFILE_EMAIL -> {
        String email = requireEmail(profile);
        List<JsonNode> found = catalog.usersByEmail(email);
        String plain = withoutPlusTag(email);
        if (found.isEmpty() && !plain.equals(email)) {
          found = catalog.usersByEmail(plain);
        }
        if (found.size() > 1) {
          throw new ConflictException("User lookup resulted in multiple matches");
        }
        if (found.isEmpty()) {
          yield notInCatalog(plain, settings);
        }
        yield identityOf(found.get(0));
      }
      case PREFERRED_USERNAME_MATCHING_NAME -> {
        String username = profile.preferredUsername();
        if (username == null || username.isBlank()) {
          throw new SignInException("Login failed, user profile does not contain a preferred username");
        }
        yield byName(username, settings);
      }
      default -> throw new IllegalStateException("unknown resolver " + settings.resolver());
    };
  }

  private Identity byName(String name, OidcSettings.SignInResolverSettings settings) {
    String ref = userRef(name);
    Optional<JsonNode> user = catalog.user(ref);
    return user.isPresent() ? identityOf(user.get()) : notInCatalog(name, settings);
  }

  private Identity notInCatalog(String name, OidcSettings.SignInResolverSettings settings) {
    if (!settings.dangerouslyAllowSignInWithoutUserInCatalog()) {
      throw new NotFoundException("User not found");
    }
    String ref = userRef(name);
    return new Identity(ref, List.of(ref));
  }

  /** Catalog sign-in of a found user (also the guest's when its user is in the catalog). */
  Identity identityOf(JsonNode user) {
    String ref = new EntityRef(user.path("kind").asText(), user.path("metadata").path("namespace").asText("default"),
        user.path("metadata").path("name").asText()).canonical();
    return new Identity(ref, catalog.ownershipRefs(user, ref));
  }

  /** {@code user:default/<name>}; the name is never parsed, so a provider's value cannot pick kind or namespace. */
  private static String userRef(String name) {
    return new EntityRef("user", EntityRef.DEFAULT_NAMESPACE, name).canonical();
  }

  private static String requireEmail(Profile profile) {
    if (profile.email() == null || profile.email().isBlank()) {
      throw new SignInException("Login failed, user profile does not contain an email");
    }
    return profile.email();
  }

  /** {@code jane+tag@example.com} → {@code jane@example.com}. */
  static String withoutPlusTag(String email) {
    int at = email.indexOf('@');
    int plus = email.indexOf('+');
    if (at < 0 || plus < 0 || plus > at) {
      return email;
    }
    return email.substring(0, plus) + email.substring(at);
  }
}
