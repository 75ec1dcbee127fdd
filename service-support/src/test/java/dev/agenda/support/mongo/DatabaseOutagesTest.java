package dev.agenda.support.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.InvalidDataAccessApiUsageException;

import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import org.bson.BsonDocument;

class DatabaseOutagesTest {

    @Test
    void anUnreachableDatabaseIsAnOutageHoweverDeepItsCause() {
        assertThat(DatabaseOutages.isUnavailable(new DataAccessResourceFailureException("down"))).isTrue();
        assertThat(DatabaseOutages.isUnavailable(new IllegalStateException("rendering failed",
                new UncheckedIOException(new java.io.IOException("wrapped",
                        new MongoTimeoutException("Timed out while waiting for a server")))))).isTrue();
        assertThat(DatabaseOutages.isUnavailable(new MongoNotPrimaryException(new BsonDocument(),
                new ServerAddress()))).isTrue();
    }

    @Test
    void failuresThatWouldRepeatOnTheSameInputAreNotOutages() {
        assertThat(DatabaseOutages.isUnavailable(new DuplicateKeyException("E11000"))).isFalse();
        assertThat(DatabaseOutages.isUnavailable(new InvalidDataAccessApiUsageException("bad query"))).isFalse();
        assertThat(DatabaseOutages.isUnavailable(new IllegalArgumentException("not a legal XML character"))).isFalse();
        assertThat(DatabaseOutages.isUnavailable(null)).isFalse();
    }
}
