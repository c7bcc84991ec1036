package io.chukei.protocol.validation;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

import io.chukei.protocol.sbe.FieldId;

/**
 * Settings for {@link SubmitValidator}: repertoire, clock and field bounds. Build with
 * {@link #builder()}; {@link Builder#build()} checks the fields against each other.
 */
public final class ValidationConfig
{
    public static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");
    /** First day of the Meiji era; no living person's registered birth date is earlier. */
    public static final LocalDate MEIJI_START = LocalDate.of(1868, 1, 1);

    private final Clock clock;
    private final Repertoire repertoire;
    private final LocalDate earliestDateOfBirth;
    private final TextFieldRule nameKanji;
    private final TextFieldRule nameKana;
    private final TextFieldRule address;
    private final DigitsRule residentCode;
    private final DigitsRule cardId;
    private final DigitsRule applicationId;
    private final int pinBlockMaxBytes;

    private ValidationConfig(final Builder builder)
    {
        clock = builder.clock;
        repertoire = builder.repertoire != null ? builder.repertoire : Repertoire.forName(builder.repertoireName);
        earliestDateOfBirth = builder.earliestDateOfBirth;
        nameKanji = new TextFieldRule(FieldId.NAME_KANJI, builder.nameKanjiMaxBytes, false);
        nameKana = new TextFieldRule(FieldId.NAME_KANA, builder.nameKanaMaxBytes, true);
        address = new TextFieldRule(FieldId.ADDRESS, builder.addressMaxBytes, false);
        residentCode = new DigitsRule(FieldId.RESIDENT_CODE, 11, 11);
        cardId = new DigitsRule(FieldId.CARD_ID, builder.cardIdMinDigits, builder.cardIdMaxDigits);
        applicationId = new DigitsRule(FieldId.APPLICATION_ID, builder.applicationIdMinDigits,
            builder.applicationIdMaxDigits);
        pinBlockMaxBytes = builder.pinBlockMaxBytes;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** Defaults: the japanese-names repertoire, system clock in Asia/Tokyo. */
    public static ValidationConfig defaults()
    {
        return builder().build();
    }

    public Clock clock()
    {
        return clock;
    }

    public Repertoire repertoire()
    {
        return repertoire;
    }

    public LocalDate earliestDateOfBirth()
    {
        return earliestDateOfBirth;
    }

    public TextFieldRule nameKanji()
    {
        return nameKanji;
    }

    public TextFieldRule nameKana()
    {
        return nameKana;
    }

    public TextFieldRule address()
    {
        return address;
    }

    public DigitsRule residentCode()
    {
        return residentCode;
    }

    public DigitsRule cardId()
    {
        return cardId;
    }

    public DigitsRule applicationId()
    {
        return applicationId;
    }

    public int pinBlockMaxBytes()
    {
        return pinBlockMaxBytes;
    }

    /** Longest text field, for sizing reusable buffers. */
    int maxTextBytes()
    {
        return Math.max(nameKanji.maxBytes(), Math.max(nameKana.maxBytes(), address.maxBytes()));
    }

    /** Mutable builder with defaults; not thread-safe. */
    public static final class Builder
    {
        private Clock clock = Clock.system(JAPAN);
        private String repertoireName = Repertoire.JAPANESE_NAMES;
        private Repertoire repertoire;
        private LocalDate earliestDateOfBirth = MEIJI_START;
        private int nameKanjiMaxBytes = 512;
        private int nameKanaMaxBytes = 512;
        private int addressMaxBytes = 1024;
        private int cardIdMinDigits = 12;
        private int cardIdMaxDigits = 12;
        private int applicationIdMinDigits = 23;
        private int applicationIdMaxDigits = 23;
        private int pinBlockMaxBytes = 256;

        private Builder()
        {
        }

        /** Clock for "today" (date of birth) and deadlines; its zone decides the date. */
        public Builder clock(final Clock clock)
        {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** A profile name for {@link Repertoire#forName}; default {@value Repertoire#JAPANESE_NAMES}. */
        public Builder repertoire(final String repertoire)
        {
            this.repertoireName = Objects.requireNonNull(repertoire, "repertoire");
            this.repertoire = null;
            return this;
        }

        /** A repertoire already built, e.g. one a node configuration loaded and checked. */
        public Builder repertoire(final Repertoire repertoire)
        {
            this.repertoire = Objects.requireNonNull(repertoire, "repertoire");
            return this;
        }

        public Builder earliestDateOfBirth(final LocalDate earliestDateOfBirth)
        {
            this.earliestDateOfBirth = Objects.requireNonNull(earliestDateOfBirth, "earliestDateOfBirth");
            return this;
        }

        public Builder nameKanjiMaxBytes(final int maxBytes)
        {
            this.nameKanjiMaxBytes = maxBytes;
            return this;
        }

        public Builder nameKanaMaxBytes(final int maxBytes)
        {
            this.nameKanaMaxBytes = maxBytes;
            return this;
        }

        public Builder addressMaxBytes(final int maxBytes)
        {
            this.addressMaxBytes = maxBytes;
            return this;
        }

        public Builder cardIdDigits(final int minDigits, final int maxDigits)
        {
            this.cardIdMinDigits = minDigits;
            this.cardIdMaxDigits = maxDigits;
            return this;
        }

        public Builder applicationIdDigits(final int minDigits, final int maxDigits)
        {
            this.applicationIdMinDigits = minDigits;
            this.applicationIdMaxDigits = maxDigits;
            return this;
        }

        public Builder pinBlockMaxBytes(final int maxBytes)
        {
            this.pinBlockMaxBytes = maxBytes;
            return this;
        }

        /**
         * Checks every setting.
         *
         * @throws IllegalArgumentException naming the first bad setting and what was expected
         */
        public Builder validate()
        {
            requireBytes("nameKanjiMaxBytes", nameKanjiMaxBytes);
            requireBytes("nameKanaMaxBytes", nameKanaMaxBytes);
            requireBytes("addressMaxBytes", addressMaxBytes);
            requireBytes("pinBlockMaxBytes", pinBlockMaxBytes);
            requireDigits("cardId", cardIdMinDigits, cardIdMaxDigits);
            requireDigits("applicationId", applicationIdMinDigits, applicationIdMaxDigits);
            if (earliestDateOfBirth.isAfter(LocalDate.now(clock)))
            {
                throw new IllegalArgumentException("earliestDateOfBirth: " + earliestDateOfBirth +
                    " (expected: not after today, " + LocalDate.now(clock) + ")");
            }
            if (earliestDateOfBirth.getYear() < 1000)
            {
                throw new IllegalArgumentException("earliestDateOfBirth: " + earliestDateOfBirth +
                    " (expected: a four-digit year)");
            }
            return this;
        }

        /**
         * Validates and builds; resolves the repertoire (building it on first use).
         *
         * @throws IllegalArgumentException for a bad setting or an unknown repertoire
         */
        public ValidationConfig build()
        {
            validate();
            return new ValidationConfig(this);
        }

        private static void requireBytes(final String name, final int value)
        {
            if (value <= 0)
            {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            if (value > TextFieldRule.MAX_VAR_DATA_BYTES)
            {
                throw new IllegalArgumentException(name + ": " + value + " (expected: <= " +
                    TextFieldRule.MAX_VAR_DATA_BYTES + ")");
            }
        }

        private static void requireDigits(final String name, final int min, final int max)
        {
            if (min <= 0)
            {
                throw new IllegalArgumentException(name + "MinDigits: " + min + " (expected: > 0)");
            }
            if (max < min)
            {
                throw new IllegalArgumentException(name + "MaxDigits: " + max + " (expected: >= " + name +
                    "MinDigits " + min + ")");
            }
            if (max > TextFieldRule.MAX_VAR_DATA_BYTES)
            {
                throw new IllegalArgumentException(name + "MaxDigits: " + max + " (expected: <= " +
                    TextFieldRule.MAX_VAR_DATA_BYTES + ")");
            }
        }
    }
}
