package dev.weft.redis;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: one real {@link RedisServer} per test class (started before all, killed and removed
 * after all), injected as a parameter of test methods, constructors or lifecycle methods.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RedisServerExtension.class);

    @Override
    public void beforeAll(ExtensionContext ctx) throws Exception {
        ctx.getStore(NS).put("server", RedisServer.startNew());
    }

    @Override
    public void afterAll(ExtensionContext ctx) throws Exception {
        RedisServer s = ctx.getStore(NS).remove("server", RedisServer.class);
        if (s != null) {
            s.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
        return p.getParameter().getType() == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
        ExtensionContext c = ctx;
        while (c != null) {
            RedisServer s = c.getStore(NS).get("server", RedisServer.class);
            if (s != null) {
                return s;
            }
            c = c.getParent().orElse(null);
        }
        throw new IllegalStateException("no RedisServer: annotate the class with @ExtendWith(RedisServerExtension.class)");
    }
}
