package org.meshportal.templates.builtin;

import org.meshportal.templates.GitPublisher;
import org.meshportal.templates.action.ActionContext;

final class Outputs {
  private Outputs() {}

  static void published(ActionContext ctx, GitPublisher.Published result) {
    var f = BaseAction.JSON.getNodeFactory();
    ctx.output("remoteUrl", f.textNode(result.remoteUrl()));
    ctx.output("repoContentsUrl", f.textNode(result.repoContentsUrl()));
    if (result.commitHash() != null) {
      ctx.output("commitHash", f.textNode(result.commitHash()));
    }
  }
}
