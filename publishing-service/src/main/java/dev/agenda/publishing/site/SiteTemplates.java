package dev.agenda.publishing.site;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.loader.DelegatingLoader;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.loader.Loader;
import io.pebbletemplates.pebble.template.PebbleTemplate;

/**
 * Pebble templates, HTML auto-escaping on, compiled once and cached by the engine. A site brings its own layout by
 * putting templates (and {@code assets/}) in the configured directory; anything it does not override comes from the
 * classpath.
 */
final class SiteTemplates {

    private final PebbleEngine engine;
    private final Path overrides;

    SiteTemplates(Path overrides) {
        this.overrides = overrides;
        List<Loader<?>> loaders = new ArrayList<>();
        if (overrides != null) {
            FileLoader files = new FileLoader();
            files.setPrefix(overrides.toAbsolutePath().toString());
            files.setSuffix(".peb");
            loaders.add(files);
        }
        ClasspathLoader classpath = new ClasspathLoader(SiteTemplates.class.getClassLoader());
        classpath.setPrefix("templates");
        classpath.setSuffix(".peb");
        loaders.add(classpath);
        DelegatingLoader loader = new DelegatingLoader(loaders);
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).defaultEscapingStrategy("html")
                .strictVariables(false).newLineTrimming(false).build();
    }

    String render(String name, Map<String, Object> context) {
        PebbleTemplate template = engine.getTemplate(name);
        TextWriter out = new TextWriter(8192);
        try {
            template.evaluate(out, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The assets a site gets: the built-in ones, and every file of the override directory's {@code assets/} (a logo,
     * a default sharing image, fonts). Names that are not plain file names are left out, so none can write elsewhere
     * than under {@code assets/}.
     */
    List<String> assetNames(List<String> builtIn) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(builtIn);
        if (overrides != null && Files.isDirectory(overrides.resolve("assets"))) {
            try (java.util.stream.Stream<Path> files = Files.list(overrides.resolve("assets"))) {
                files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                        .filter(name -> name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")).forEach(names::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(names);
    }

    /** A static asset, from the override directory's {@code assets/} first. */
    byte[] asset(String name) {
        try {
            if (overrides != null) {
                Path file = overrides.resolve("assets").resolve(name);
                if (Files.isRegularFile(file)) {
                    return Files.readAllBytes(file);
                }
            }
            try (InputStream in = SiteTemplates.class.getClassLoader().getResourceAsStream("site-assets/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("Missing asset " + name);
                }
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
