package org.meshportal.indexer.lucene;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.util.BytesRef;
import org.meshportal.model.Entities;
import org.meshportal.model.FilterRows;

/** Turns an entity into its Lucene document: identity, stored JSON, filter rows, search text. */
final class EntityDocuments {
  private static final int KEYWORD_LIMIT = 1000;
  private final ObjectMapper json;

  EntityDocuments(ObjectMapper json) {
    this.json = json;
  }

  static String refOf(JsonNode entity) {
    return Entities.ref(entity).canonical();
  }

  Document toDocument(JsonNode entity, String ref) {
    return builder().toDocument(entity, null, ref);
  }

  /** A builder for one thread: its scratch sets are reused from document to document. */
  Builder builder() {
    return new Builder();
  }

  final class Builder {
    /** Scratch sets that grew past this are replaced, not cleared: clearing costs their capacity, every time. */
    private static final int SCRATCH_KEEP = 512;
    private Set<String> keys = new HashSet<>();
    private Set<String> rows = new HashSet<>();
    private Set<String> cased = new HashSet<>();
    private Set<String> casedLowers = new HashSet<>();
    private Set<String> plainRows = new HashSet<>();

    /** @param entityJson the entity's JSON (UTF-8) when the caller has it, else null */
    Document toDocument(JsonNode entity, byte[] entityJson, String ref) {
      Document doc = new Document();
      doc.add(new StringField(IndexFields.REF, ref, Field.Store.NO));
      doc.add(new SortedDocValuesField(IndexFields.REF, new BytesRef(ref)));
      String uid = Entities.uid(entity);
      if (uid != null) {
        doc.add(new StringField(IndexFields.UID, uid, Field.Store.NO));
      }
      byte[] bytes = entityJson;
      if (bytes == null) {
        try {
          bytes = json.writeValueAsBytes(entity);
        } catch (JsonProcessingException e) {
          throw new UncheckedIOException("Cannot serialise entity " + ref, e);
        }
      }
      doc.add(new BinaryDocValuesField(IndexFields.JSON, new BytesRef(bytes)));
      addRows(doc, entity);
      addSearchFields(doc, CatalogDocument.of(entity));
      return doc;
    }

    private static Set<String> emptied(Set<String> set) {
      if (set.size() > SCRATCH_KEEP) {
        return new HashSet<>();
      }
      set.clear();
      return set;
    }

    private void addRows(Document doc, JsonNode entity) {
      keys = emptied(keys);
      rows = emptied(rows);
      cased = emptied(cased);
      casedLowers = emptied(casedLowers);
      plainRows = emptied(plainRows);
      for (FilterRows.Row row : FilterRows.of(entity)) {
        String key = row.lowerKey();
        if (keys.add(key)) {
          doc.add(new StringField(IndexFields.ROW_KEY, key, Field.Store.NO));
        }
        String value = row.value();
        if (value == null) {
          continue;
        }
        String lowerValue = row.lowerValue();
        if (lowerValue.equals(value)) {
          String lower = IndexFields.row(key, value);
          plainRows.add(lower);
          if (rows.add(lower)) {
            doc.add(new StringField(IndexFields.ROW, lower, Field.Store.NO));
          }
        } else {
          String lower = IndexFields.row(key, lowerValue);
          casedLowers.add(lower);
          if (rows.add(lower)) {
            doc.add(new StringField(IndexFields.ROW, lower, Field.Store.NO));
          }
          String original = IndexFields.row(key, value);
          if (cased.add(original)) {
            doc.add(new StringField(IndexFields.ROW_ORIGINAL, original, Field.Store.NO));
          }
        }
      }
      // a lowercase value beside a cased variant of itself must be named too (see ROW_ORIGINAL)
      for (String lower : casedLowers) {
        if (plainRows.contains(lower)) {
          doc.add(new StringField(IndexFields.ROW_ORIGINAL, lower, Field.Store.NO));
        }
      }
    }
  }

  private static void addSearchFields(Document doc, CatalogDocument c) {
    doc.add(new BinaryDocValuesField(IndexFields.SEARCH_DOC, new BytesRef(c.documentBytes())));
    addText(doc, IndexFields.TEXT_NAME, c.names());
    addText(doc, IndexFields.TEXT_TAGS, c.tags());
    addText(doc, IndexFields.TEXT_DESCRIPTION, c.descriptions());
    addText(doc, IndexFields.TEXT_OTHER, c.otherText());
    for (String name : c.names()) {
      doc.add(new StringField(IndexFields.EXACT_NAME, keyword(name), Field.Store.NO));
    }
    for (String id : c.exactIdentifiers()) {
      doc.add(new StringField(IndexFields.EXACT_OTHER, id, Field.Store.NO));
    }
    for (String field : CatalogDocument.FILTER_FIELDS) {
      String value = c.document().path(field).asText("");
      doc.add(new StringField(IndexFields.SEARCH_FILTER_PREFIX + field, keyword(value), Field.Store.NO));
    }
    if (c.kcpPath() != null) {
      doc.add(new StringField(IndexFields.SEARCH_FILTER_PREFIX + "kcp.io/path", c.kcpPath().toLowerCase(Locale.ROOT), Field.Store.NO));
    }
  }

  /** Lowercased and cut short: Lucene rejects huge terms, and nobody filters on a whole essay. */
  private static String keyword(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    return lower.length() > KEYWORD_LIMIT ? lower.substring(0, KEYWORD_LIMIT) : lower;
  }

  private static void addText(Document doc, String field, List<String> values) {
    for (String v : values) {
      doc.add(new TextField(field, v, Field.Store.NO));
    }
  }
}
