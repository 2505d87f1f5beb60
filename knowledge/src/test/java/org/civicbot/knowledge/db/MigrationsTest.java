package org.civicbot.knowledge.db;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import org.civicbot.knowledge.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class MigrationsTest {

  @Test
  void should_create_the_whole_schema_in_an_empty_database_with_a_tenant_on_every_table(Vertx vertx) {
    String url = TestDatabase.freshDatabaseUrl();

    try (Database database = Database.open(vertx, Optional.of(url), Path.of("target"), 2)) {
      List<String> tables = new ArrayList<>();
      for (Row row : await(database.pool().query("SELECT table_name FROM information_schema.tables"
          + " WHERE table_schema = 'public' AND table_name <> 'flyway_schema_history' ORDER BY 1").execute())) {
        tables.add(row.getString(0));
      }
      assertTrue(tables.containsAll(List.of("tenants", "articles", "article_revisions", "knowledge_versions")),
          "tables: " + tables);
      for (String table : tables) {
        long tenantColumns = await(database.pool().preparedQuery("SELECT count(*) FROM information_schema.columns"
                + " WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'tenant_id'")
            .execute(io.vertx.sqlclient.Tuple.of(table))).iterator().next().getLong(0);
        assertEquals(1, tenantColumns, table + " has no tenant_id column");
      }
      long failed = await(database.pool().query("SELECT count(*) FROM flyway_schema_history WHERE NOT success")
          .execute()).iterator().next().getLong(0);
      assertEquals(0, failed);
    }
  }

  @Test
  void should_leave_an_up_to_date_schema_alone_when_opened_again(Vertx vertx) {
    String url = TestDatabase.freshDatabaseUrl();
    try (Database first = Database.open(vertx, Optional.of(url), Path.of("target"), 2)) {
      await(first.pool().query("INSERT INTO tenants (tenant_id, name) VALUES ('kept', 'Kept')").execute());
    }
    try (Database second = Database.open(vertx, Optional.of(url), Path.of("target"), 2)) {
      long rows = await(second.pool().query("SELECT count(*) FROM tenants WHERE tenant_id = 'kept'").execute())
          .iterator().next().getLong(0);
      assertEquals(1, rows, "reopening must not reset data");
    }
  }
}
