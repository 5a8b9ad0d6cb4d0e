namespace Tccg.Storage;

/// <summary>A row asked for by id that does not exist.</summary>
public sealed class NotFoundInStoreException(string what) : InvalidOperationException($"{what} does not exist.");

/// <summary>A row would break a uniqueness rule (a user name or Twitch game id that is taken).</summary>
public sealed class DuplicateInStoreException(string what, Exception? inner = null)
    : InvalidOperationException($"{what} already exists.", inner);
