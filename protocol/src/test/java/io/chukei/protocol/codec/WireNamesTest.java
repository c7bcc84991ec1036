package io.chukei.protocol.codec;

import io.chukei.protocol.sbe.ErrorCode;
import io.chukei.protocol.sbe.FieldId;
import io.chukei.protocol.sbe.OutcomeStatus;
import io.chukei.protocol.sbe.Priority;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireNamesTest
{
    @Test
    void definedValuesAreNamedAsTheSchemaNamesThem()
    {
        for (final OutcomeStatus status : OutcomeStatus.values())
        {
            assertThat(WireNames.outcomeStatus(status.value())).isEqualTo(status.name());
        }
        for (final ErrorCode code : ErrorCode.values())
        {
            assertThat(WireNames.errorCode(code.value())).isEqualTo(code.name());
        }
        for (final FieldId field : FieldId.values())
        {
            assertThat(WireNames.fieldId(field.value())).isEqualTo(field.name());
        }
        for (final Priority priority : Priority.values())
        {
            assertThat(WireNames.priority(priority.value())).isEqualTo(priority.name());
        }
    }

    @Test
    void aValueOnlyANewerVersionDefinesIsNamedUndefinedWhereTheGeneratedLookUpThrows()
    {
        assertThatThrownBy(() -> OutcomeStatus.get((short)99)).isInstanceOf(IllegalArgumentException.class);
        assertThat(WireNames.outcomeStatus(99)).isEqualTo("undefined(99)");
        assertThatThrownBy(() -> ErrorCode.get(60_000)).isInstanceOf(IllegalArgumentException.class);
        assertThat(WireNames.errorCode(60_000)).isEqualTo("undefined(60000)");
        assertThatThrownBy(() -> FieldId.get((short)200)).isInstanceOf(IllegalArgumentException.class);
        assertThat(WireNames.fieldId(200)).isEqualTo("undefined(200)");
        assertThatThrownBy(() -> Priority.get((short)77)).isInstanceOf(IllegalArgumentException.class);
        assertThat(WireNames.priority(77)).isEqualTo("undefined(77)");
    }
}
