package dev.agenda.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** GreenMail SMTP sink with its JSON inbox, in a child JVM. */
public final class LocalSmtpSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int smtpPort;
    private final int httpPort;
    private final ChildJvm jvm;

    public LocalSmtpSink(int smtpPort, int httpPort, Path logFile) {
        this.smtpPort = smtpPort;
        this.httpPort = httpPort;
        this.jvm = ChildJvm.builder("smtp-sink")
                .mainClass(SmtpSinkMain.class.getName())
                .jvmArgs("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Dlogback.configurationFile=agenda-infra-logback.xml")
                .args(Integer.toString(smtpPort), Integer.toString(httpPort))
                .logFile(logFile)
                .readyWhen(() -> Ports.accepting(smtpPort) && Http.answers200(inboxUrl() + "/api/health"))
                .startTimeout(Duration.ofSeconds(60))
                .build();
    }

    public LocalSmtpSink start() {
        jvm.start();
        return this;
    }

    public void stop() {
        jvm.stop();
    }

    public long pid() {
        return jvm.pid();
    }

    public int smtpPort() {
        return smtpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** Base URL of the inbox; messages are at {@code /api/messages}. */
    public String inboxUrl() {
        return "http://" + Ports.HOST + ":" + httpPort;
    }

    /** Every message received so far, as the inbox JSON describes it. */
    public List<Map<String, Object>> messages() {
        return call("GET", "/api/messages", new TypeReference<>() { });
    }

    public List<Map<String, Object>> messagesTo(String address) {
        return call("GET", "/api/messages?to=" + java.net.URLEncoder.encode(address, java.nio.charset.StandardCharsets.UTF_8),
                new TypeReference<>() { });
    }

    public void clear() {
        call("DELETE", "/api/messages", new TypeReference<Map<String, Object>>() { });
    }

    /** Takes the SMTP listener down (connections refused) while the inbox keeps what it has. */
    public void stopSmtp() {
        call("POST", "/api/smtp/stop", new TypeReference<Map<String, Object>>() { });
    }

    public void startSmtp() {
        call("POST", "/api/smtp/start", new TypeReference<Map<String, Object>>() { });
    }

    private <T> T call(String method, String path, TypeReference<T> type) {
        try {
            var response = Http.send(method, inboxUrl() + path);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return JSON.readValue(response.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
