package dev.weft.internal.debug;

import dev.weft.debug.Debug;
import dev.weft.debug.WeftTasksMXBean;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.ObjectName;

/** The JMX view of the registry, {@value Debug#MBEAN_NAME}. */
public final class TasksMBean implements WeftTasksMXBean {
    private TasksMBean() {
    }

    /** Registers the MBean on the platform MBean server (once; later calls do nothing). */
    public static synchronized void register() {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new TasksMBean(), new ObjectName(Debug.MBEAN_NAME));
        } catch (InstanceAlreadyExistsException e) {
            // registered already
        } catch (Exception | LinkageError e) {
            Registry.LOG.log(Level.WARNING, "Weft debug mode: could not register the JMX MBean " + Debug.MBEAN_NAME
                    + "; weft tasks cannot attach to this JVM", e);
        }
    }

    @Override
    public String getTreeText() {
        return Format.text();
    }

    @Override
    public String getTreeJson() {
        return Format.json();
    }

    @Override
    public String cancel(long id) {
        return Registry.cancel(id);
    }
}
