package io.chukei.gateway.journal;

/**
 * How Chronicle's POSIX binding (jnr-ffi) calls native functions. Chronicle's {@code Jvm} class loads that binding as
 * it initialises, in every process that opens a journal. jnr-ffi's default generates a class and x86 call stubs for
 * the bound interface with ASM at that moment: 0.14 s of a cold JVM, and classes made at run time, which the
 * launcher's AOT cache cannot hold (bench/README.md, "Restart time"). What goes through the binding here is rare:
 * journal-space's {@code fallocate} a few times a minute, Chronicle's {@code msync} of a mapped store (the journal's
 * SYNC mode fsyncs through its file channel instead). The reflective binding costs a reflective call more per such
 * call, and nothing at start.
 */
public final class NativeBinding
{
    /** jnr-ffi's switch for generated (ASM) bindings; an explicit {@code -Djnr.ffi.asm.enabled=...} wins. */
    static final String JNR_ASM = "jnr.ffi.asm.enabled";

    private NativeBinding()
    {
    }

    /** Before any Chronicle class is initialised: from then on the binding is made. */
    public static void reflective()
    {
        if (System.getProperty(JNR_ASM) == null)
        {
            System.setProperty(JNR_ASM, "false");
        }
    }
}
