package io.chukei.gateway.journal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NativeBindingTest
{
    private String before;

    @BeforeEach
    void remember()
    {
        before = System.getProperty(NativeBinding.JNR_ASM);
    }

    @AfterEach
    void restore()
    {
        if (before == null)
        {
            System.clearProperty(NativeBinding.JNR_ASM);
        }
        else
        {
            System.setProperty(NativeBinding.JNR_ASM, before);
        }
    }

    @Test
    void withoutAnExplicitChoiceTheBindingIsReflective()
    {
        System.clearProperty(NativeBinding.JNR_ASM);
        NativeBinding.reflective();
        assertThat(System.getProperty(NativeBinding.JNR_ASM)).isEqualTo("false");
    }

    @Test
    void anExplicitChoiceOnTheCommandLineWins()
    {
        System.setProperty(NativeBinding.JNR_ASM, "true");
        NativeBinding.reflective();
        assertThat(System.getProperty(NativeBinding.JNR_ASM)).isEqualTo("true");
    }
}
