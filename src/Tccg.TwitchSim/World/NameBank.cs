namespace Tccg.TwitchSim.World;

/// <summary>Word pools for seeded names, slugs and titles (non-Latin names and emoji on purpose).</summary>
internal static class NameBank
{
    /// <summary>Latin channels: display name, login is the lower-case form.</summary>
    public static readonly string[] LatinDisplay =
    [
        "PixelPanda", "xXSniperWolfXx", "NightOwlTV", "CaptainCozy", "LunaPlays", "RetroRick", "FragQueen",
        "Mr_Speedrun", "TheBakingBard", "ZeroLagZed", "KittyKernel", "DrDisrespectful", "BigBossBob",
        "SunnySideGG", "VoidWalker_", "MapleMoose", "ChillChloe", "TurboTurtle", "AceOfSpades99", "GrumpyGamerGeorge",
        "QuietQuasar", "NeonNinja", "HappyHeals", "BlueberryBlaze", "LeeroyJ", "ProfessorPing", "SaltySailor",
    ];

    /// <summary>Non-Latin channels: (display name, login, language).</summary>
    public static readonly (string Display, string Login, string Language)[] NonLatin =
    [
        ("ゆっくり実況者", "yukkuri_jikkyo", "ja"),
        ("加藤純一", "kato_junichi0817", "ja"),
        ("もこう", "mokou_channel", "ja"),
        ("우왁굳", "woowakgood", "ko"),
        ("풍월량", "pungwolryang", "ko"),
        ("침착맨", "chimchakman_official", "ko"),
        ("Братишкин", "bratishkinoff", "ru"),
        ("Мокривский", "mokrivskyi", "ru"),
        ("Бустер", "buster_gg", "ru"),
        ("小熊猫直播", "xiaoxiongmao_live", "zh"),
        ("王者之心", "wangzhe_heart", "zh"),
        ("Ελληνικός", "ellinikos_gr", "el"),
    ];

    public static readonly string[] LatinLanguages = ["en", "en", "en", "de", "es", "fr", "pt"];

    public static readonly string[] SlugAdjectives =
    [
        "Fun", "Poised", "Awkward", "Helpless", "Brave", "Clever", "Sleepy", "Tangy", "Shiny", "Quaint",
        "Gentle", "Hungry", "Lazy", "Proud", "Witty", "Spicy", "Curious", "Frail", "Bumbling", "Elegant",
    ];

    public static readonly string[] SlugAnimals =
    [
        "Giraffe", "Salamander", "Otter", "Penguin", "Walrus", "Badger", "Llama", "Hedgehog", "Falcon", "Koala",
        "Panda", "Moose", "Lobster", "Squid", "Beaver", "Gorilla", "Ferret", "Toucan", "Narwhal", "Yak",
    ];

    public static readonly string[] SlugEmotes =
    [
        "GingerPower", "SwiftRage", "Kappa", "PogChamp", "BibleThump", "ResidentSleeper", "NotLikeThis",
        "DansGame", "SeemsGood", "VoHiYo", "CoolCat", "OSFrog", "KomodoHype", "TwitchUnity", "HeyGuys",
    ];

    public const string SlugSuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    public static readonly string[] TitlesEn =
    [
        "no way that just happened", "INSANE clutch 1v5", "chat saw it first", "he really said that 💀",
        "perfect timing", "the worst luck ever", "when the lag hits", "greatest play of the year?",
        "this is why we stream 😂", "unbelievable 🔥🔥", "absolute chaos", "he did NOT see that coming",
        "speedrun strats gone wrong", "RIP headphones 🎧", "wholesome moment ❤️", "the comeback",
    ];

    public static readonly Dictionary<string, string[]> TitlesByLanguage = new(StringComparer.Ordinal)
    {
        ["ja"] = ["神プレイ", "まさかの展開 😱", "これは草", "奇跡の逆転", "配信事故w"],
        ["ko"] = ["레전드 장면", "이게 되네 ㅋㅋㅋ", "역대급 클러치", "방송 사고 😂"],
        ["ru"] = ["ЭТО БЫЛО НЕВЕРОЯТНО", "лучший момент стрима", "как так?! 😂", "легендарный клатч"],
        ["zh"] = ["太离谱了", "神操作 🔥", "名场面", "笑死我了 😂"],
        ["el"] = ["απίστευτο", "τι έγινε μόλις;"],
        ["de"] = ["unglaublich 😂", "was war das denn", "bester Moment"],
        ["es"] = ["increíble jugada", "no puede ser 😂", "qué locura"],
        ["fr"] = ["incroyable 🔥", "c'est pas possible", "le meilleur moment"],
        ["pt"] = ["que jogada", "não acredito 😂", "momento épico"],
    };
}
