package org.meshportal.templates.builtin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.meshportal.model.errors.ServiceUnavailableException;
import org.meshportal.templates.GitPublisher;
import org.meshportal.templates.TemplateCatalog;
import org.meshportal.templates.TemplateFiles;
import org.meshportal.templates.action.TemplateAction;
import org.meshportal.templates.render.TemplateRenderer;

/** Builds the built-in actions over the given collaborators. */
public final class BuiltinActions {
  private BuiltinActions() {}

  /**
   * @param mesh where mesh:* actions write; {@code null} still lists them, but running one fails
   *     with a message saying the mesh repository is not configured
   */
  public static List<TemplateAction> create(TemplateFiles files, GitPublisher git, TemplateCatalog catalog,
      TemplateRenderer renderer, Duration maxWait, MeshRepoSettings mesh) {
    List<TemplateAction> out = new ArrayList<>();
    out.add(new FetchPlainAction(files, false));
    out.add(new FetchPlainAction(files, true));
    out.add(new FetchTemplateAction(files, renderer, false));
    out.add(new FetchTemplateAction(files, renderer, true));
    out.addAll(FsActions.all());
    out.add(new PublishGitAction(git));
    out.add(new CatalogActions.Register(catalog));
    out.add(new CatalogActions.Fetch(catalog));
    out.add(new CatalogActions.Write());
    out.add(new DebugActions.Log());
    out.add(new DebugActions.Wait(maxWait));
    GitPublisher meshGit = mesh != null ? git : unconfiguredMesh();
    MeshRepoSettings meshSettings = mesh != null ? mesh : new MeshRepoSettings("unconfigured", null, null, null);
    out.add(new MeshActions.CreateAccount(meshGit, meshSettings));
    out.add(new MeshActions.CreateApiBinding(meshGit, meshSettings));
    return out;
  }

  private static GitPublisher unconfiguredMesh() {
    return new GitPublisher() {
      @Override
      public Published createRepository(NewRepository request) {
        throw new ServiceUnavailableException("The Platform Mesh repository is not configured");
      }

      @Override
      public Published commitToBranch(BranchCommit request) {
        throw new ServiceUnavailableException("The Platform Mesh repository is not configured");
      }
    };
  }
}
