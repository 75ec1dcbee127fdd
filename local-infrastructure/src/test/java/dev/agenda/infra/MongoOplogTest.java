package dev.agenda.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/** The local MongoDB emulator keeps an oplog, so change streams work, and trims it as MongoDB caps its own. */
class MongoOplogTest {

    @TempDir
    Path dir;

    @Test
    void aChangeStreamOnTheLocalEmulatorSeesAnInsert() {
        int port = Ports.free();
        LocalMongo mongo = new LocalMongo(port, null, dir.resolve("mongo.log")).start();
        try (MongoClient client = MongoClients.create(mongo.uri())) {
            MongoCollection<Document> things = client.getDatabase("agenda_test").getCollection("things");
            try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> changes = things.watch().cursor()) {
                things.insertOne(new Document("_id", "watched"));
                ChangeStreamDocument<Document> change = await().atMost(Duration.ofSeconds(10))
                        .until(changes::tryNext, java.util.Objects::nonNull);
                assertThat(change.getOperationTypeString()).isEqualTo("insert");
                assertThat(change.getDocumentKey().getString("_id").getValue()).isEqualTo("watched");
            }
        } finally {
            mongo.stop();
        }
    }

    @Test
    void theTrimRemovesOnlyTheEntriesOlderThanTheRetention() {
        MemoryBackend backend = new MemoryBackend();
        backend.enableOplog();
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create(
                "mongodb://" + address.getHostString() + ":" + address.getPort())) {
            MongoCollection<Document> things = client.getDatabase("agenda_test").getCollection("things");
            things.insertOne(new Document("_id", 1));
            things.insertOne(new Document("_id", 2));
            MongoCollection<Document> oplog = client.getDatabase("local").getCollection("oplog.rs");
            assertThat(oplog.countDocuments()).isEqualTo(2);

            assertThat(MongoServerMain.trimOplog(backend, Duration.ofHours(1))).isZero();
            assertThat(oplog.countDocuments()).isEqualTo(2);

            assertThat(MongoServerMain.trimOplog(backend, Duration.ofMillis(-1))).isEqualTo(2);
            assertThat(oplog.countDocuments()).isZero();
            things.insertOne(new Document("_id", 3));
            assertThat(oplog.countDocuments()).as("the oplog goes on after a trim").isEqualTo(1);
            assertThat(things.countDocuments()).as("the data itself untouched").isEqualTo(3);
        } finally {
            server.shutdownNow();
        }
    }
}
