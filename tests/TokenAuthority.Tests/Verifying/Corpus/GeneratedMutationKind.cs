namespace TokenAuthority.Tests.Verifying.Corpus;

/// <summary>The ways the generated run changes a valid token.</summary>
public enum GeneratedMutationKind
{
    /// <summary>Flip one bit of the decoded bytes of a part, then encode it canonically again.</summary>
    FlipDecodedBit,

    /// <summary>Insert a byte into the decoded bytes of a part.</summary>
    InsertDecodedByte,

    /// <summary>Delete a byte from the decoded bytes of a part.</summary>
    DeleteDecodedByte,

    /// <summary>Flip one bit of a character of the token text.</summary>
    FlipCharacterBit,

    /// <summary>Replace a character of the token text.</summary>
    ReplaceCharacter,

    /// <summary>Insert a character into the token text.</summary>
    InsertCharacter,

    /// <summary>Delete a character of the token text.</summary>
    DeleteCharacter,

    /// <summary>Cut the token short.</summary>
    Truncate,

    /// <summary>Take each part from one of two valid tokens.</summary>
    SwapPartsBetweenTokens,

    /// <summary>Reorder, repeat or drop parts.</summary>
    ReorderParts,

    /// <summary>Write a part in the standard base64 alphabet (<c>+</c> and <c>/</c>).</summary>
    StandardAlphabet,

    /// <summary>Add <c>=</c> padding to a part.</summary>
    Pad,

    /// <summary>Decode the header or payload, change one value, encode it again, keep the original signature.</summary>
    ReencodeWithChangedValue,

    /// <summary>Add whitespace inside the header or payload JSON, keep the original signature.</summary>
    ReencodeWithWhitespace,

    /// <summary>Append a suffix to the token.</summary>
    Append,
}
