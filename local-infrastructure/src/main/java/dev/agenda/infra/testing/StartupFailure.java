package dev.agenda.infra.testing;

import java.util.regex.Pattern;

/**
 * For the services' tests of settings checked at start: a setting that cannot work must stop the start with a
 * message naming it, somewhere in the chain of causes Spring wraps it in.
 */
public final class StartupFailure {

    private static final Pattern KEBAB = Pattern.compile("-(.)");

    private StartupFailure() {
    }

    /** The messages of a failure and of all its causes, one per line. */
    public static String messages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    /**
     * The names a message may give the property of {@code "a.b.page-size=0"}: as written in application.yml
     * ({@code page-size}) or as the field it binds to ({@code pageSize}).
     */
    public static String[] namesOf(String setting) {
        int equals = setting.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("not a setting (name=value): " + setting);
        }
        String property = setting.substring(setting.lastIndexOf('.', equals) + 1, equals);
        return new String[] {property, KEBAB.matcher(property).replaceAll(m -> m.group(1).toUpperCase())};
    }
}
