package io.chukei.gateway.cli;

/** Placeholder entry point while the relay node is being built. */
public final class ChukeiCommand
{
    public static void main(final String[] args)
    {
        System.out.println("chukei: not built yet");
    }
}
