package dev.agenda.notification.mail;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;

/**
 * Pebble templates under {@code templates/}: {@code .html} ones escape every variable (autoescape, HTML strategy),
 * {@code .txt} ones do not (plain text has nothing to escape, and escaping would show {@code &amp;} to readers).
 */
@Component
public class Templates {

    private final PebbleEngine html;
    private final PebbleEngine text;

    public Templates() {
        this.html = engine(true);
        this.text = engine(false);
    }

    private static PebbleEngine engine(boolean escape) {
        ClasspathLoader loader = new ClasspathLoader();
        loader.setPrefix("templates");
        return new PebbleEngine.Builder().loader(loader).autoEscaping(escape).defaultEscapingStrategy("html")
                .strictVariables(false).newLineTrimming(false).cacheActive(true).build();
    }

    public String render(String name, Map<String, Object> model) {
        PebbleEngine engine = name.endsWith(".html") ? html : text;
        StringWriter out = new StringWriter();
        try {
            engine.getTemplate(name).evaluate(out, model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
