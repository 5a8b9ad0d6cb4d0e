using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Tccg.Core.Compilations;
using Tccg.Core.Timeline;
using Tccg.Server.Application;
using Tccg.Server.Features.Assets;
using Tccg.Server.Features.Compilations;
using Tccg.Storage.Assets;

namespace Tccg.Server.Components.Pages;

/// <summary>
/// The kept clips in order: reorder, trim, volume, remove; assets, music and overlay; the rules; submit. Every change
/// is a save of the whole document through <see cref="CompilationService"/> with the version this page read, so an edit
/// made elsewhere in between is refused ("changed elsewhere — reload") instead of overwritten.
/// </summary>
public sealed partial class Timeline
{
    private static readonly AssetRole[] PickerKinds = [AssetRole.First, AssetRole.Intro, AssetRole.Interval, AssetRole.Outro];
    private static readonly string[] Fonts = ["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "Noto Sans CJK JP"];

    private CompilationView? _compilation;
    private List<Row> _rows = [];
    private IReadOnlyList<Asset> _assets = [];
    private MusicChoice _music = new();
    private OverlaySection _overlay = new();
    private List<string> _messages = [];
    private Row? _selected;
    private ElementReference _preview;
    private ElementReference _file;
    private IJSObjectReference? _module;
    private AssetRole _uploadKind = AssetRole.Intro;
    private int? _drag;
    private int? _over;
    private string? _conflict;
    private bool _uploading;
    private bool _submitting;

    [Parameter] public long CompilationId { get; set; }

    [Inject] private CompilationService Compilations { get; set; } = default!;
    [Inject] private AssetService AssetLibrary { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private sealed class Row
    {
        public long ClipId { get; init; }
        public string Title { get; init; } = "";
        public string Streamer { get; init; } = "";
        public double Duration { get; init; }
        public double? TrimStart { get; set; }
        public double? TrimEnd { get; set; }
        public double Volume { get; set; } = 1;
        public ItemView? Item { get; init; }
        public LayoutSection? Layout { get; set; }
        public double Length => EditorLimits.EstimateSeconds([(Duration, TrimStart, TrimEnd)]);
    }

    protected override async Task LoadAsync(CurrentUser caller)
    {
        Show(await Compilations.GetAsync(caller, CompilationId, Aborted));
        _assets = await AssetLibrary.ListAsync(caller, null, Aborted);
        await ValidateAsync(caller);
    }

    /// <summary>Takes what the server holds as the page's state.</summary>
    private void Show(CompilationView view)
    {
        _compilation = view;
        _conflict = null;
        _music = MusicChoice.FromJson(view.Music.ToJson());
        _overlay = CompilationSettings.FromJson(view.Settings.ToJson()).Overlay ?? new OverlaySection();
        var selected = _selected?.ClipId;
        _rows = [.. view.Items.Select(item => new Row
        {
            ClipId = item.ClipId,
            Title = item.Clip?.Title is { Length: > 0 } t ? t : "(no title)",
            Streamer = item.Clip?.BroadcasterName ?? "?",
            Duration = item.Clip?.MediaDuration ?? item.Clip?.Duration ?? 0,
            TrimStart = item.TrimStart,
            TrimEnd = item.TrimEnd,
            Volume = item.Volume,
            Item = item,
            Layout = item.Layout,
        })];
        _selected = _rows.FirstOrDefault(r => r.ClipId == selected);
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

    private static string KindLabel(AssetRole kind) => kind switch
    {
        AssetRole.First => "First clip",
        AssetRole.Intro => "Intro",
        AssetRole.Interval => "Interval (between clips)",
        AssetRole.Outro => "Outro",
        _ => "Music",
    };

    private IEnumerable<Asset> AssetsOf(AssetRole kind) => _assets.Where(a => a.Kind == kind);

    private long? AssetOf(AssetRole kind) => kind switch
    {
        AssetRole.First => _compilation?.FirstAssetId,
        AssetRole.Intro => _compilation?.IntroAssetId,
        AssetRole.Interval => _compilation?.IntervalAssetId,
        AssetRole.Outro => _compilation?.OutroAssetId,
        _ => null,
    };

    private double AssetSeconds(long? id) => id is { } assetId ? _assets.FirstOrDefault(a => a.Id == assetId)?.MediaDuration ?? 0 : 0;

    private double EstimatedSeconds => EditorLimits.EstimateSeconds(
        _rows.Select(r => (r.Duration, r.TrimStart, r.TrimEnd)),
        AssetSeconds(_compilation?.FirstAssetId), AssetSeconds(_compilation?.IntroAssetId),
        AssetSeconds(_compilation?.IntervalAssetId), AssetSeconds(_compilation?.OutroAssetId));

    private void Select(Row row) => _selected = row;

    /// <summary>
    /// Saves the page's document, changed by <paramref name="change"/>, as the version it read. A refusal puts the page
    /// back to what the server holds; a conflict (saved elsewhere since) keeps the page as it is and says so.
    /// </summary>
    private async Task SaveAsync(CurrentUser caller, Func<UpdateCompilationRequest, UpdateCompilationRequest>? change = null)
    {
        var settings = CompilationSettings.FromJson(_compilation!.Settings.ToJson());
        settings.Overlay = _overlay;
        var request = UpdateCompilationRequest.From(_compilation) with
        {
            Items = [.. _rows.Select(r => new ItemRequest(r.ClipId, r.TrimStart, r.TrimEnd, r.Volume, r.Layout))],
            Music = _music,
            Settings = settings,
        };
        try
        {
            Show(await Compilations.UpdateAsync(caller, CompilationId, change is null ? request : change(request), Aborted));
        }
        catch (RuleException e) when (e.Status == 409)
        {
            _conflict = e.Title;
            throw;
        }
        catch (RuleException)
        {
            Show(await Compilations.GetAsync(caller, CompilationId, Aborted));
            throw;
        }
        await ValidateAsync(caller);
    }

    private Task ReloadAsync() => RunAsync(async caller =>
    {
        Show(await Compilations.GetAsync(caller, CompilationId, Aborted));
        _assets = await AssetLibrary.ListAsync(caller, null, Aborted);
        await ValidateAsync(caller);
    }, "Reloaded the compilation as it is now.");

    private Task DropAsync(int target) => RunAsync(async caller =>
    {
        _over = null;
        if (_drag is not { } from || from == target || from >= _rows.Count)
            return;
        var row = _rows[from];
        _rows.RemoveAt(from);
        _rows.Insert(Math.Min(target, _rows.Count), row);
        _drag = null;
        await SaveAsync(caller);
        Toasts.Success($"Moved clip to position {target + 1}.");
    });

    private Task SetTrimAsync(Row row, object? value, bool start) => RunAsync(async caller =>
    {
        double? seconds = double.TryParse(value?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? Math.Round(v, 2) : null;
        await ApplyTrimAsync(caller, row, start ? seconds : row.TrimStart, start ? row.TrimEnd : seconds);
    });

    private async Task ApplyTrimAsync(CurrentUser caller, Row row, double? trimStart, double? trimEnd)
    {
        row.TrimStart = trimStart is > 0 ? trimStart : null;
        row.TrimEnd = trimEnd;
        await SaveAsync(caller);
        Toasts.Success($"Trim {Num(row.TrimStart ?? 0)}–{Num(row.TrimEnd ?? row.Duration)} s saved.");
    }

    /// <summary>Trims made on an item's scrub bar (handles dragged, arrows on a focused handle), saved as the version read.</summary>
    private Task TrimFromBarAsync(Shared.ScrubTrim trim) => RunAsync(async caller =>
    {
        if (_rows.FirstOrDefault(r => r.ClipId == trim.ClipId) is not { } row)
            return;
        await ApplyTrimAsync(caller, row, trim.TrimIn, trim.TrimOut);
    });

    private Task TrimAtPlayheadAsync(bool start) => RunAsync(async caller =>
    {
        if (_selected is not { } row || _module is null)
            return;
        var at = Math.Round(await _module.InvokeAsync<double>("currentTime", Aborted, _preview), 1);
        await ApplyTrimAsync(caller, row, start ? at : row.TrimStart, start ? row.TrimEnd : at);
    });

    private Task ClearTrimAsync() => RunAsync(async caller =>
    {
        if (_selected is not { } row)
            return;
        row.TrimStart = null;
        row.TrimEnd = null;
        await SaveAsync(caller);
    }, "Trims cleared.");

    private Task SetVolumeAsync(Row row, object? value) => RunAsync(async caller =>
    {
        if (!double.TryParse(value?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
            throw RuleException.Invalid("volume", "type the volume as a percentage");
        row.Volume = Math.Round(percent / 100, 2);
        await SaveAsync(caller);
    }, "Volume saved.");

    private Task RemoveAsync(Row row) => RunAsync(async caller =>
    {
        _rows.Remove(row);
        if (_selected == row)
            _selected = null;
        await SaveAsync(caller);
    }, "Removed the clip from the timeline (its review decision stays).");

    private Task PickAsync(AssetRole kind, object? value) => RunAsync(async caller =>
    {
        long? id = long.TryParse(value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
        await SaveAsync(caller, r => kind switch
        {
            AssetRole.First => r with { FirstAssetId = id },
            AssetRole.Intro => r with { IntroAssetId = id },
            AssetRole.Interval => r with { IntervalAssetId = id },
            _ => r with { OutroAssetId = id },
        });
    }, $"{KindLabel(kind)} saved.");

    private Task PickMusicAsync(ChangeEventArgs e) => RunAsync(async caller =>
    {
        var values = e.Value as string[] ?? [];
        _music.Tracks = [.. values.Select(v => long.Parse(v, CultureInfo.InvariantCulture))];
        await SaveAsync(caller);
    }, "Music saved.");

    private Task SetMusicVolumeAsync(ChangeEventArgs e) => RunAsync(async caller =>
    {
        if (!double.TryParse(e.Value?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
            throw RuleException.Invalid("music.volume", "type the music volume as a percentage");
        _music.Volume = Math.Round(percent / 100, 2);
        await SaveAsync(caller);
    }, "Music volume saved.");

    private Task SetDuckAsync(ChangeEventArgs e) => RunAsync(async caller =>
    {
        _music.Duck = e.Value is true;
        await SaveAsync(caller);
    }, "Ducking saved.");

    private Task SetOverlayAsync(Action<OverlaySection> change) => RunAsync(async caller =>
    {
        change(_overlay);
        await SaveAsync(caller);
    }, "Overlay saved.");

    private Task UploadAsync() => RunAsync(async caller =>
    {
        if (_module is null)
            return;
        _uploading = true;
        try
        {
            var result = await _module.InvokeAsync<UploadResult>("uploadAsset", Aborted, _file, _uploadKind.ToString().ToLowerInvariant());
            if (!result.Ok)
                throw new InvalidOperationException(result.Message);
            _assets = await AssetLibrary.ListAsync(caller, null, Aborted);
            Toasts.Success(result.Message);
        }
        finally
        {
            _uploading = false;
        }
    });

    private sealed record UploadResult(bool Ok, string Message, long? Id);
}
