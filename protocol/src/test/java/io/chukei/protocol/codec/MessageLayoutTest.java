package io.chukei.protocol.codec;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MessageLayout}'s hand-written table agrees with the schema file, message by message. */
class MessageLayoutTest
{
    @Test
    void everyMessageOfTheSchemaHasItsNameGroupsAndVarFieldsInWireOrder() throws Exception
    {
        final List<Element> messages = messages();
        assertThat(messages).isNotEmpty();
        for (final Element message : messages)
        {
            final int id = Integer.parseInt(message.getAttribute("id"));
            final MessageLayout layout = MessageLayout.of(id);
            assertThat(layout).as("layout of template %d", id).isNotNull();
            assertThat(layout.name()).isEqualTo(message.getAttribute("name"));
            final boolean hasGroups = !children(message, "group").isEmpty();
            assertThat(layout.hasGroups()).as("%s has groups", layout.name()).isEqualTo(hasGroups);
            if (!hasGroups)
            {
                assertThat(layout.varNames()).as("%s var fields", layout.name())
                    .containsExactlyElementsOf(children(message, "data"));
                assertThat(layout.varFields()).hasSameSizeAs(layout.varNames());
            }
        }
    }

    private static List<Element> messages() throws Exception
    {
        try (InputStream schema = MessageLayoutTest.class.getResourceAsStream("/sbe/chukei-schema.xml"))
        {
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            final NodeList nodes = factory.newDocumentBuilder().parse(schema)
                .getElementsByTagNameNS("http://fixprotocol.io/2016/sbe", "message");
            final List<Element> out = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++)
            {
                out.add((Element)nodes.item(i));
            }
            return out;
        }
    }

    /** Names of the direct children {@code <tag>} of {@code message} (a group's own data fields are not the message's). */
    private static List<String> children(final Element message, final String tag)
    {
        final List<String> names = new ArrayList<>();
        for (Node child = message.getFirstChild(); child != null; child = child.getNextSibling())
        {
            if (child instanceof Element && tag.equals(((Element)child).getTagName()))
            {
                names.add(((Element)child).getAttribute("name"));
            }
        }
        return names;
    }
}
