package org.meshportal.indexer.lucene;

import java.util.List;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.AutomatonQuery;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.Operations;
import org.meshportal.model.query.EntityPredicate;

/** Translates an {@link EntityPredicate} into a Lucene query over the row fields. */
final class PredicateQueries {
  private PredicateQueries() {}

  static Query of(EntityPredicate predicate) {
    return switch (predicate) {
      case EntityPredicate.MatchAll m -> new MatchAllDocsQuery();
      case EntityPredicate.MatchNone m -> new MatchNoDocsQuery();
      case EntityPredicate.All all -> combine(all.children(), Occur.FILTER);
      case EntityPredicate.Any any -> combine(any.children(), Occur.SHOULD);
      case EntityPredicate.Not not -> new BooleanQuery.Builder()
          .add(new MatchAllDocsQuery(), Occur.FILTER)
          .add(of(not.child()), Occur.MUST_NOT)
          .build();
      case EntityPredicate.ValueIn in -> valueIn(in);
      case EntityPredicate.Exists exists -> new TermQuery(new Term(IndexFields.ROW_KEY, exists.key()));
      case EntityPredicate.HasPrefix prefix ->
          new PrefixQuery(new Term(IndexFields.ROW, IndexFields.row(prefix.key(), prefix.prefix())));
      case EntityPredicate.ValueContains contains -> valueContains(contains);
    };
  }

  private static Query combine(List<EntityPredicate> children, Occur occur) {
    if (children.isEmpty()) {
      return occur == Occur.FILTER ? new MatchAllDocsQuery() : new MatchNoDocsQuery();
    }
    if (children.size() == 1) {
      return of(children.get(0));
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (EntityPredicate child : children) {
      b.add(of(child), occur);
    }
    if (occur == Occur.SHOULD) {
      b.setMinimumNumberShouldMatch(1);
    }
    return b.build();
  }

  private static Query valueIn(EntityPredicate.ValueIn in) {
    if (in.values().isEmpty()) {
      return new MatchNoDocsQuery();
    }
    if (in.values().size() == 1) {
      return new TermQuery(new Term(IndexFields.ROW, IndexFields.row(in.key(), in.values().get(0))));
    }
    List<BytesRef> terms = in.values().stream().map(v -> new BytesRef(IndexFields.row(in.key(), v))).toList();
    return new TermInSetQuery(IndexFields.ROW, terms);
  }

  /** Substring match within the rows of the given keys: {@code key SEP .* term .*}. */
  private static Query valueContains(EntityPredicate.ValueContains contains) {
    if (contains.keys().isEmpty()) {
      return new MatchNoDocsQuery();
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (String key : contains.keys()) {
      Automaton a = Operations.concatenate(List.of(
          Automata.makeString(IndexFields.rowPrefix(key)),
          Automata.makeAnyString(),
          Automata.makeString(contains.term()),
          Automata.makeAnyString()));
      a = Operations.determinize(a, Operations.DEFAULT_DETERMINIZE_WORK_LIMIT);
      b.add(new AutomatonQuery(new Term(IndexFields.ROW, IndexFields.rowPrefix(key)), a), Occur.SHOULD);
    }
    return b.setMinimumNumberShouldMatch(1).build();
  }
}
