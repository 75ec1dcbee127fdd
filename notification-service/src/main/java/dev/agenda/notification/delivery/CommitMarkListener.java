package dev.agenda.notification.delivery;

import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;

/**
 * Runs a task on the thread that issues a COMMITTING update, at the last moment before the update is written to
 * MongoDB's socket. The synchronous driver raises "command started" on the calling thread, after encoding the
 * command and just before sending it (and not for its connection handshakes).
 */
@Configuration(proxyBeanMethods = false)
class CommitMarkListener {

    private record Pending(String collection, Runnable task) {
    }

    private static final ThreadLocal<Pending> PENDING = new ThreadLocal<>();

    static void beforeSending(String collection, Runnable task) {
        PENDING.set(new Pending(collection, task));
    }

    static void clear() {
        PENDING.remove();
    }

    @Bean
    MongoClientSettingsBuilderCustomizer commitMarkCommandListener() {
        return settings -> settings.addCommandListener(new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                Pending pending = PENDING.get();
                if (pending != null && "update".equals(event.getCommandName())
                        && pending.collection().equals(event.getCommand().getString("update").getValue())) {
                    PENDING.remove();
                    pending.task().run();
                }
            }
        });
    }
}
