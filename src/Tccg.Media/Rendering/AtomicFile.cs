using System.Globalization;

namespace Tccg.Media.Rendering;

internal static class AtomicFile
{
    public static async Task WriteTextAsync(string path, string text, CancellationToken ct)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture) + ".tmp";
        try
        {
            await File.WriteAllTextAsync(temp, text, ct);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    public static void TryDelete(string? path)
    {
        if (path is null)
            return;
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
