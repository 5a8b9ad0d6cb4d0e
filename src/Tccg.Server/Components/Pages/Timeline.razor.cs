using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using Tccg.Core.Configuration;
using Tccg.Storage.Assets;
using Tccg.Storage.Clips;
using Tccg.Storage.Compilations;

namespace Tccg.Server.Components.Pages;

/// <summary>The kept clips in order: reorder, trim, volume, remove; assets, music and overlay; the rules; submit.</summary>
public sealed partial class Timeline
{
    private static readonly AssetKind[] PickerKinds = [AssetKind.First, AssetKind.Intro, AssetKind.Interval, AssetKind.Outro];
    private static readonly string[] Fonts = ["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "Noto Sans CJK JP"];

    private Compilation? _compilation;
    private List<Row> _rows = [];
    private IReadOnlyList<Asset> _assets = [];
    private MusicSettings _music = new();
    private OverlaySettings _overlay = new();
    private List<string> _messages = [];
    private Row? _selected;
    private ElementReference _preview;
    private ElementReference _file;
    private IJSObjectReference? _module;
    private AssetKind _uploadKind = AssetKind.Intro;
    private int? _drag;
    private int? _over;
    private string? _error;
    private bool _uploading;
    private bool _submitting;

    [Parameter] public long CompilationId { get; set; }

    [Inject] private ICompilationStore Compilations { get; set; } = default!;
    [Inject] private IClipStore ClipStore { get; set; } = default!;
    [Inject] private Tccg.Server.Features.Assets.AssetAccess AssetAccess { get; set; } = default!;
    [Inject] private Tccg.Server.Features.Compilations.CompilationWorkspace Workspace { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private IServiceProvider Services { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IOptions<EditorOptions> Rules { get; set; } = default!;

    private sealed class Row
    {
        public long ClipId { get; init; }
        public string Title { get; init; } = "";
        public string Streamer { get; init; } = "";
        public double Duration { get; init; }
        public double? TrimStart { get; set; }
        public double? TrimEnd { get; set; }
        public double Volume { get; set; } = 1;
        public bool Usable { get; init; }
        public double Length => Math.Max(0, (TrimEnd ?? Duration) - (TrimStart ?? 0));
    }

    private sealed class MusicSettings
    {
        public List<long> Tracks { get; set; } = [];
        public double? Volume { get; set; }
        public bool? Duck { get; set; }
    }

    private sealed class OverlaySettings
    {
        public bool Enabled { get; set; } = true;
        public string Font { get; set; } = "DejaVu Sans";
        public string Color { get; set; } = "#ffffff";
        public string OutlineColor { get; set; } = "#000000";
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task LoadAsync()
    {
        var compilation = await Compilations.GetAsync(CompilationId, Aborted);
        if (compilation is null || !User.CanSee(compilation))
        {
            _error = $"There is no compilation {CompilationId.ToString(CultureInfo.InvariantCulture)} you can open.";
            return;
        }

        _compilation = compilation;
        _assets = await AssetAccess.ListVisibleAsync(Principal, null, Aborted);
        _music = JsonSerializer.Deserialize<MusicSettings>(string.IsNullOrWhiteSpace(compilation.MusicJson) ? "{}" : compilation.MusicJson, Json) ?? new();
        var overlay = JsonNode.Parse(string.IsNullOrWhiteSpace(compilation.SettingsJson) ? "{}" : compilation.SettingsJson)?["overlay"];
        _overlay = overlay?.Deserialize<OverlaySettings>(Json) ?? new();
        var rows = new List<Row>();
        foreach (var item in await Compilations.GetItemsAsync(CompilationId, Aborted))
        {
            var clip = await ClipStore.GetAsync(item.ClipId, Aborted);
            rows.Add(new Row
            {
                ClipId = item.ClipId,
                Title = clip?.Title is { Length: > 0 } t ? t : "(no title)",
                Streamer = clip?.BroadcasterName ?? "?",
                Duration = clip?.MediaDuration ?? clip?.Duration ?? 0,
                TrimStart = item.TrimStart,
                TrimEnd = item.TrimEnd,
                Volume = item.Volume,
                Usable = clip is { Status: Tccg.Core.Clips.ClipStatus.Downloaded or Tccg.Core.Clips.ClipStatus.Used },
            });
        }

        _rows = rows;
        await ValidateAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
            _module = await JS.InvokeAsync<IJSObjectReference>("import", Aborted, EditorModuleUrl);
    }

    private static string ClipUrl(long clipId) => $"api/v1/clips/{clipId}/media";

    private static string Num(double? value) => value?.ToString("0.0##", CultureInfo.InvariantCulture) ?? "";

    internal static string Clock(double seconds) =>
        TimeSpan.FromSeconds(Math.Max(0, seconds)).ToString(seconds >= 3600 ? @"h\:mm\:ss" : seconds >= 600 ? @"m\:ss" : @"m\:ss\.f", CultureInfo.InvariantCulture);

    private static string KindLabel(AssetKind kind) => kind switch
    {
        AssetKind.First => "First clip",
        AssetKind.Intro => "Intro",
        AssetKind.Interval => "Interval (between clips)",
        AssetKind.Outro => "Outro",
        _ => "Music",
    };

    private IEnumerable<Asset> AssetsOf(AssetKind kind) => _assets.Where(a => a.Kind == kind);

    private long? AssetOf(AssetKind kind) => kind switch
    {
        AssetKind.First => _compilation?.FirstAssetId,
        AssetKind.Intro => _compilation?.IntroAssetId,
        AssetKind.Interval => _compilation?.IntervalAssetId,
        AssetKind.Outro => _compilation?.OutroAssetId,
        _ => null,
    };

    private double AssetSeconds(long? id) => id is { } assetId ? _assets.FirstOrDefault(a => a.Id == assetId)?.MediaDuration ?? 0 : 0;

    private double EstimatedSeconds =>
        _rows.Sum(r => r.Length)
        + AssetSeconds(_compilation?.FirstAssetId) + AssetSeconds(_compilation?.IntroAssetId) + AssetSeconds(_compilation?.OutroAssetId)
        + (Math.Max(0, _rows.Count - 1) * AssetSeconds(_compilation?.IntervalAssetId));

    private void Select(Row row) => _selected = row;

    private List<CompilationItem> CurrentItems() => [.. _rows.Select(r => new CompilationItem(r.ClipId, r.TrimStart, r.TrimEnd, r.Volume))];

    private async Task SaveItemsAsync()
    {
        var items = CurrentItems();
        await CheckEditAsync(_compilation!, items);
        using (await Workspace.LockAsync(CompilationId, Aborted))
            await Compilations.SetItemsAsync(CompilationId, items, Aborted);
        await ValidateAsync();
    }

    private Task DropAsync(int target) => RunAsync(async () =>
    {
        _over = null;
        if (_drag is not { } from || from == target || from >= _rows.Count)
            return;
        var row = _rows[from];
        _rows.RemoveAt(from);
        _rows.Insert(Math.Min(target, _rows.Count), row);
        _drag = null;
        await SaveItemsAsync();
        Toasts.Success($"Moved clip to position {target + 1}.");
    });

    private Task SetTrimAsync(Row row, object? value, bool start) => RunAsync(async () =>
    {
        double? seconds = double.TryParse(value?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? Math.Round(v, 2) : null;
        await ApplyTrimAsync(row, start ? seconds : row.TrimStart, start ? row.TrimEnd : seconds);
    });

    private async Task ApplyTrimAsync(Row row, double? trimStart, double? trimEnd)
    {
        if (trimStart is < 0 || trimEnd is < 0 || (row.Duration > 0 && (trimStart > row.Duration || trimEnd > row.Duration + 0.05)))
            throw new InvalidOperationException($"Trims must lie within the clip (0 to {row.Duration.ToString("0.0", CultureInfo.InvariantCulture)} s).");
        if ((trimEnd ?? row.Duration) - (trimStart ?? 0) < 0.5)
            throw new InvalidOperationException("A trimmed clip must keep at least 0.5 s (out after in).");
        row.TrimStart = trimStart is > 0 ? trimStart : null;
        row.TrimEnd = trimEnd;
        await SaveItemsAsync();
        Toasts.Success($"Trim {Num(row.TrimStart ?? 0)}–{Num(row.TrimEnd ?? row.Duration)} s saved.");
    }

    private Task TrimAtPlayheadAsync(bool start) => RunAsync(async () =>
    {
        if (_selected is not { } row || _module is null)
            return;
        var at = Math.Round(await _module.InvokeAsync<double>("currentTime", Aborted, _preview), 1);
        await ApplyTrimAsync(row, start ? at : row.TrimStart, start ? row.TrimEnd : at);
    });

    private Task ClearTrimAsync() => RunAsync(async () =>
    {
        if (_selected is not { } row)
            return;
        row.TrimStart = null;
        row.TrimEnd = null;
        await SaveItemsAsync();
    }, "Trims cleared.");

    private Task SetVolumeAsync(Row row, object? value) => RunAsync(async () =>
    {
        if (!double.TryParse(value?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) || percent is < 0 or > 200)
            throw new InvalidOperationException("Volume is a percentage from 0 to 200.");
        row.Volume = Math.Round(percent / 100, 2);
        await SaveItemsAsync();
    }, "Volume saved.");

    private Task RemoveAsync(Row row) => RunAsync(async () =>
    {
        _rows.Remove(row);
        if (_selected == row)
            _selected = null;
        await SaveItemsAsync();
    }, "Removed the clip from the timeline (its review decision stays).");

    private Task PickAsync(AssetKind kind, object? value) => RunAsync(async () =>
    {
        long? id = long.TryParse(value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
        var c = _compilation!;
        _compilation = kind switch
        {
            AssetKind.First => c with { FirstAssetId = id },
            AssetKind.Intro => c with { IntroAssetId = id },
            AssetKind.Interval => c with { IntervalAssetId = id },
            _ => c with { OutroAssetId = id },
        };
        await SaveCompilationAsync();
    }, $"{KindLabel(kind)} saved.");

    private Task PickMusicAsync(ChangeEventArgs e) => RunAsync(async () =>
    {
        var values = e.Value as string[] ?? [];
        _music.Tracks = [.. values.Select(v => long.Parse(v, CultureInfo.InvariantCulture))];
        await SaveCompilationAsync();
    }, "Music saved.");

    private Task SetMusicVolumeAsync(ChangeEventArgs e) => RunAsync(async () =>
    {
        if (!double.TryParse(e.Value?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) || percent is < 0 or > 100)
            throw new InvalidOperationException("Music volume is a percentage from 0 to 100.");
        _music.Volume = Math.Round(percent / 100, 2);
        await SaveCompilationAsync();
    }, "Music volume saved.");

    private Task SetDuckAsync(ChangeEventArgs e) => RunAsync(async () =>
    {
        _music.Duck = e.Value is true;
        await SaveCompilationAsync();
    }, "Ducking saved.");

    private Task SetOverlayAsync(Action<OverlaySettings> change) => RunAsync(async () =>
    {
        change(_overlay);
        await SaveCompilationAsync();
    }, "Overlay saved.");

    private async Task SaveCompilationAsync()
    {
        var settings = JsonNode.Parse(string.IsNullOrWhiteSpace(_compilation!.SettingsJson) ? "{}" : _compilation.SettingsJson)!.AsObject();
        settings["overlay"] = JsonSerializer.SerializeToNode(_overlay, Json);
        _compilation = _compilation with
        {
            SettingsJson = settings.ToJsonString(),
            MusicJson = JsonSerializer.Serialize(_music, Json),
        };
        await CheckEditAsync(_compilation, CurrentItems());
        bool saved;
        using (await Workspace.LockAsync(CompilationId, Aborted))
            saved = await Compilations.UpdateAsync(_compilation, Aborted);
        if (!saved)
            throw new InvalidOperationException("The compilation was deleted meanwhile.");
        await ValidateAsync();
    }

    private Task UploadAsync() => RunAsync(async () =>
    {
        if (_module is null)
            return;
        _uploading = true;
        try
        {
            var result = await _module.InvokeAsync<UploadResult>("uploadAsset", Aborted, _file, _uploadKind.ToString().ToLowerInvariant());
            if (!result.Ok)
                throw new InvalidOperationException(result.Message);
            _assets = await AssetAccess.ListVisibleAsync(Principal, null, Aborted);
            Toasts.Success(result.Message);
        }
        finally
        {
            _uploading = false;
        }
    });

    private sealed record UploadResult(bool Ok, string Message, long? Id);
}
