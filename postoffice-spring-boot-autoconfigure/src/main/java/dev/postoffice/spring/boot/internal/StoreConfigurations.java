package dev.postoffice.spring.boot.internal;

import dev.postoffice.core.Pipeline;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spring.boot.PostOfficeProperties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The store: JDBC on the application's {@code DataSource} when there is one (or when {@code
 * postoffice.store.type=jdbc}), else in memory. Imported in this order, so the first that applies
 * wins; an application's own {@link StatusStore} or {@link Pipeline} bean wins over both.
 */
public final class StoreConfigurations {
  private static final Logger LOG = LoggerFactory.getLogger(StoreConfigurations.class);

  private StoreConfigurations() {}

  /** {@code JdbcStatusStore} on the application's single (or primary) {@code DataSource}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JdbcStatusStore.class)
  @ConditionalOnSingleCandidate(DataSource.class)
  @ConditionalOnMissingBean({StatusStore.class, Pipeline.class})
  @ConditionalOnProperty(
      prefix = "postoffice.store",
      name = "type",
      havingValue = "jdbc",
      matchIfMissing = true)
  public static class Jdbc {
    /**
     * Builds the store and, unless {@code postoffice.store.migrate=false}, creates or upgrades its
     * tables.
     *
     * @param dataSource the application's data source
     * @param properties the properties
     * @return the store
     */
    @Bean
    public JdbcStatusStore postOfficeStatusStore(
        DataSource dataSource, PostOfficeProperties properties) {
      PostOfficeProperties.Store p = properties.getStore();
      JdbcStatusStore store =
          JdbcStatusStore.builder(dataSource)
              .tablePrefix(p.getTablePrefix())
              .statementTimeout(p.getStatementTimeout())
              .build();
      if (p.isMigrate()) {
        int applied = store.migrate();
        LOG.info(
            "PostOffice store {} tables '{}*': {} migration(s) applied, schema version {}",
            store.dialect(),
            store.tablePrefix(),
            applied,
            store.schemaVersion());
      }
      return store;
    }
  }

  /** {@code InMemoryStatusStore}, when nothing else applies and the type is not set to jdbc. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean({StatusStore.class, Pipeline.class})
  @ConditionalOnProperty(
      prefix = "postoffice.store",
      name = "type",
      havingValue = "memory",
      matchIfMissing = true)
  public static class Memory {
    /**
     * @return an in-memory store
     */
    @Bean
    public InMemoryStatusStore postOfficeStatusStore(Environment environment) {
      if (!environment.containsProperty("postoffice.store.type")) {
        // Chosen by default, not asked for: entries would be lost on a restart without a word.
        LOG.warn(
            "PostOffice keeps its entries in memory: they are lost when the application stops."
                + " No single DataSource was found (none, or several without @Primary). Provide one,"
                + " or set postoffice.store.type=memory to say this is meant.");
      }
      return InMemoryStatusStore.create();
    }
  }
}
